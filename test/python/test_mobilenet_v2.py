"""The same-size student branch: the teacher's MobileNetV2 1.0 rebuilt with batch norm restored
(training/sketchsearch/mobilenet_v2.py)."""
import os
import sys
import unittest

import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'training'))
from sketchsearch.mobilenet_v2 import CoupledMobileNetV2, MobileNetV2  # noqa: E402

TEACHER = os.path.join(ROOT, '..', 'shared', 'models', 'teacher', 'mobilenet_v2_1.0_224_quant.torchscript.pt')


def images(n, seed, size=128):
    """Smooth random images in [-1, 1] (blobs, not white noise, so statistics resemble pictures)."""
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(n, 3, size // 16, size // 16, generator=g) * 2 - 1
    return torch.nn.functional.interpolate(x, size=(size, size), mode='bilinear', align_corners=False)


@unittest.skipUnless(os.path.exists(TEACHER), f'needs {TEACHER}')
class TestTeacherRebuilt(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(2)
        cls.body = torch.jit.load(TEACHER).eval().body
        cls.net = MobileNetV2().load_folded(TEACHER).eval()

    def test_folded_weights_reproduce_the_teacher(self):
        x = images(4, 0, 224)
        with torch.no_grad():
            want = torch.flatten(self.body(x), 1)
            got = self.net(x)
        self.assertEqual(got.shape, (4, 1280))
        self.assertLess((got - want).abs().max().item(), 1e-3 * want.abs().max().item())

    def test_unfolded_bn_keeps_the_function_and_trains_from_it(self):
        net = MobileNetV2().load_folded(TEACHER)
        calib = images(16, 1)
        with torch.no_grad():
            before = net.eval()(calib)
        net.unfold_bn([calib[:8], calib[8:]])
        bn = net.convbns()[5].bn
        self.assertFalse(torch.allclose(bn.running_var, torch.ones_like(bn.running_var)), 'statistics not measured')
        with torch.no_grad():
            after = net.eval()(calib)
            train_mode = net.train()(calib)  # batch statistics of the calibration domain
        self.assertLess((after - before).abs().max().item(), 1e-3 * before.abs().max().item())
        cos = torch.nn.functional.cosine_similarity(train_mode, before).min().item()
        self.assertGreater(cos, 0.98)
        # without unfolding, train mode renormalises every layer and the teacher's function is lost
        raw = MobileNetV2().load_folded(TEACHER).train()
        with torch.no_grad():
            cos_raw = torch.nn.functional.cosine_similarity(raw(calib), before).min().item()
        self.assertLess(cos_raw, cos)


@unittest.skipUnless(os.path.exists(TEACHER), f'needs {TEACHER}')
class TestCoupled(unittest.TestCase):
    def test_branches_start_equal_with_their_own_batch_norm(self):
        m = CoupledMobileNetV2(dim=64).init_from(TEACHER)
        self.assertEqual(m.share_penalty().item(), 0.0)
        sk_bn, im_bn = m.sketch.backbone.convbns()[0].bn, m.image.backbone.convbns()[0].bn
        self.assertIsNot(sk_bn, im_bn)
        m.sketch.backbone.unfold_bn([images(8, 2)])
        self.assertFalse(torch.equal(sk_bn.running_mean, im_bn.running_mean))  # independent statistics
        self.assertEqual(m.share_penalty().item(), 0.0)  # BN does not count as shared weights
        with torch.no_grad():
            m.sketch.backbone.convs()[3].weight.add_(0.01)
        p = m.share_penalty()
        self.assertAlmostEqual(p.item(), 0.01 ** 2 * m.sketch.backbone.convs()[3].weight.numel(), places=5)
        p.backward()  # the penalty is differentiable in both branches
        self.assertIsNotNone(m.image.backbone.convs()[3].weight.grad)
        x = images(2, 3)
        self.assertEqual(m.sketch(x).shape, (2, 64))
        self.assertAlmostEqual(m.image(x).norm(dim=1)[0].item(), 1.0, places=5)


if __name__ == '__main__':
    unittest.main()
