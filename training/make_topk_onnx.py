"""Writes models/topk.onnx: exact inner-product top-k (MatMul + TopK) for the extension's search.

The extension runs it with onnxruntime-node (MLAS kernels), several times faster than a plain
JavaScript loop over the vectors. Run: /usr/bin/python3 training/make_topk_onnx.py
"""
import os
import sys

import onnx
from onnx import TensorProto as T
from onnx import helper


def build() -> onnx.ModelProto:
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["matrix", "query"], ["scores2d"]),  # [N, D] x [D, 1] -> [N, 1]
            helper.make_node("Squeeze", ["scores2d", "axis1"], ["scores"]),  # [N]
            helper.make_node("TopK", ["scores", "k"], ["values", "indices"], largest=1, sorted=1),
        ],
        "exact_topk",
        [
            helper.make_tensor_value_info("matrix", T.FLOAT, ["N", "D"]),
            helper.make_tensor_value_info("query", T.FLOAT, ["D", 1]),
            helper.make_tensor_value_info("k", T.INT64, [1]),
        ],
        [
            helper.make_tensor_value_info("values", T.FLOAT, ["K"]),
            helper.make_tensor_value_info("indices", T.INT64, ["K"]),
        ],
        [helper.make_tensor("axis1", T.INT64, [1], [1])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="sketch-search")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "models", "topk.onnx")
    onnx.save(build(), out)
    print(out, os.path.getsize(out), "bytes")
