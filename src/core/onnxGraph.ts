/**
 * Tiny ONNX models written byte by byte (protobuf wire format), for graphs too small to ship as
 * files: the WebGPU probe (matMulModel) and the benchmark's GEMM scorer (bench/lib/gemm.ts).
 */

function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
export const int = (field: number, v: number): number[] => [...key(field, 0), ...varint(v)];
export const bytes = (field: number, b: number[]): number[] => [...key(field, 2), ...varint(b.length), ...b];
export const str = (field: number, s: string): number[] => bytes(field, [...Buffer.from(s, 'utf8')]);

/** ValueInfoProto of a float tensor; dims are sizes or symbolic names. */
export function valueInfo(name: string, dims: (number | string)[]): number[] {
  const shape = dims.flatMap((d) => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d)));
  const tensorType = [...int(1, 1 /* FLOAT */), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

/** NodeProto: inputs, outputs, name, op type, attributes (already encoded AttributeProtos). */
export function node(inputs: string[], outputs: string[], name: string, op: string, attrs: number[][] = []): number[] {
  return [...inputs.flatMap((i) => str(1, i)), ...outputs.flatMap((o) => str(2, o)), ...str(3, name), ...str(4, op), ...attrs.flatMap((a) => bytes(5, a))];
}

/** ModelProto (IR version 8, default opset 13) around one graph. */
export function model(graphName: string, nodes: number[][], inputs: number[][], outputs: number[][]): Uint8Array {
  const graph = [...nodes.flatMap((n) => bytes(1, n)), ...str(2, graphName), ...inputs.flatMap((i) => bytes(11, i)), ...outputs.flatMap((o) => bytes(12, o))];
  return Uint8Array.from([...int(1, 8), ...bytes(8, [...str(1, ''), ...int(2, 13)]), ...bytes(7, graph)]);
}

/** Y[2,2] = A[2,3] x B[3,2]: the smallest graph that runs a real GPU kernel. */
export function matMulModel(): Uint8Array {
  return model('probe', [node(['A', 'B'], ['Y'], 'matmul', 'MatMul')], [valueInfo('A', [2, 3]), valueInfo('B', [3, 2])], [valueInfo('Y', [2, 2])]);
}
