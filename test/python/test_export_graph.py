"""What export.py does to the graph: store_weights_fp16 keeps the graph and halves its weights (float16 +
Cast); fix_padding makes the SAME padding of the v2 branches constant for the 128-px input. The numbers of the
shipped files are checked in onnxruntime-node by test/integration/model-parity.test.ts (cosine >= 0.999
against PyTorch); here: structure, size and values."""
import os
import sys
import tempfile
import unittest

import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'training'))
from sketchsearch.export import store_weights_fp16  # noqa: E402
from sketchsearch.mobilenet_v2 import V2Branch, fix_padding  # noqa: E402


class TestStoreWeightsFp16(unittest.TestCase):
    def test_weights_half_graph_same(self):
        import onnx
        from onnx import TensorProto, numpy_helper
        torch.manual_seed(0)
        net = nn.Sequential(nn.Conv2d(3, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                            nn.Linear(32, 64)).eval()
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'm.onnx')
            torch.onnx.export(net, torch.zeros(1, 3, 16, 16), path, opset_version=17, do_constant_folding=True,
                              input_names=['input'], output_names=['embedding'])
            before = onnx.load(path)
            size0 = os.path.getsize(path)
            w0 = {t.name: numpy_helper.to_array(t) for t in before.graph.initializer}
            n = store_weights_fp16(path)
            after = onnx.load(path)
            onnx.checker.check_model(after)
            self.assertLess(os.path.getsize(path), 0.6 * size0)
            big = [k for k, a in w0.items() if a.dtype == np.float32 and a.size >= 16]
            self.assertEqual(n, len(big))
            self.assertGreater(n, 0)
            inits = {t.name: t for t in after.graph.initializer}
            casts = {nd.output[0]: nd for nd in after.graph.node if nd.op_type == 'Cast'}
            for k in big:
                h = inits[k + '_fp16']
                self.assertEqual(h.data_type, TensorProto.FLOAT16)
                np.testing.assert_array_equal(numpy_helper.to_array(h), w0[k].astype(np.float16))
                self.assertEqual(casts[k].input[0], k + '_fp16')  # the original name is the Cast's output
                self.assertNotIn(k, inits)
            for k, a in w0.items():  # small or non-float tensors are untouched
                if k not in big:
                    np.testing.assert_array_equal(numpy_helper.to_array(inits[k]), a)
            self.assertEqual([i.name for i in after.graph.input], ['input'])
            self.assertEqual([o.name for o in after.graph.output], ['embedding'])
            ops = lambda m: sorted(nd.op_type for nd in m.graph.node if nd.op_type != 'Cast')  # noqa: E731
            self.assertEqual(ops(after), ops(before))


class TestFixPadding(unittest.TestCase):
    def test_same_outputs_no_shape_ops(self):
        import onnx
        torch.manual_seed(0)
        net = V2Branch(32).eval()
        x = torch.rand(2, 3, 128, 128) * 2 - 1

        def shape_ops():
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, 'm.onnx')
                torch.onnx.export(net, x, path, opset_version=17, do_constant_folding=True, input_names=['input'],
                                  output_names=['embedding'], dynamic_axes={'input': {0: 'N'}, 'embedding': {0: 'N'}})
                return sum(n.op_type == 'Shape' for n in onnx.load(path).graph.node)
        with torch.no_grad():
            want = net(x)
        before = shape_ops()
        self.assertEqual(fix_padding(net), 18)  # the stem and the 17 depthwise 3x3 convolutions
        with torch.no_grad():
            got = net(x)
        torch.testing.assert_close(got, want, rtol=0, atol=0)
        after = shape_ops()
        self.assertGreaterEqual(before - after, 18)  # the padding's shape arithmetic is gone
        self.assertLessEqual(after, 2)  # what is left is F.normalize's

if __name__ == '__main__':
    unittest.main()
