"""The image encoder's edge stream (training/sketchsearch/model.py): the line drawing it makes of an
image, and how the exported embedder mixes it in."""
import os
import sys
import unittest

import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'training'))
from sketchsearch.model import Branch, Embedder, edge_drawing, thicker_ink  # noqa: E402


class TestEdgeDrawing(unittest.TestCase):
    def test_flat_image_is_blank_paper(self):
        for v in (-1.0, 0.3, 1.0):
            d = edge_drawing(torch.full((2, 3, 128, 128), v))
            self.assertEqual(tuple(d.shape), (2, 3, 128, 128))
            self.assertTrue(torch.allclose(d, torch.ones_like(d), atol=1e-4), v)

    def test_step_edge_is_drawn_as_ink_only_at_the_boundary(self):
        x = torch.ones(1, 3, 128, 128)
        x[:, :, :, 64:] = -1  # white left half, black right half
        d = edge_drawing(x)[0, 0]
        self.assertTrue(torch.all(d[:, 63:65] == -1))      # full ink on the boundary columns
        self.assertTrue(torch.all(d[:, :60] > 0.999) and torch.all(d[:, 68:] > 0.999))  # paper elsewhere
        # a weaker edge gives lighter ink: ink is proportional to the gradient below the threshold
        y = torch.ones(1, 3, 128, 128)
        y[:, :, :, 64:] = 0.8
        self.assertGreater(float(edge_drawing(y)[0, 0, 10, 64]), -1)
        self.assertLess(float(edge_drawing(y)[0, 0, 10, 64]), 1)

    def test_same_drawing_for_every_channel_and_grey_only(self):
        x = torch.rand(1, 3, 128, 128) * 2 - 1
        d = edge_drawing(x)
        self.assertTrue(torch.equal(d[:, 0], d[:, 1]) and torch.equal(d[:, 1], d[:, 2]))
        perm = x[:, [2, 0, 1]]  # the drawing depends on the grey level, not on the channel order
        self.assertTrue(torch.allclose(edge_drawing(perm), d, atol=1e-5))


class TestEdgeEmbedder(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.img, self.sk = Branch(0.5, 32).eval(), Branch(0.25, 32).eval()
        self.x = torch.rand(3, 3, 128, 128) * 2 - 1

    def test_mix_one_is_the_plain_image_encoder(self):
        with torch.no_grad():
            a = Embedder(self.img)(self.x)
            b = Embedder(self.img, self.sk, 1.0)(self.x)
        self.assertTrue(torch.allclose(a, b, atol=1e-6))

    def test_mix_zero_is_the_sketch_encoder_on_the_drawing(self):
        with torch.no_grad():
            a = Embedder(self.img, self.sk, 0.0)(self.x)
            b = Embedder(self.sk)(edge_drawing(self.x))
        self.assertTrue(torch.allclose(a, b, atol=1e-6))

    def test_mix_is_between_the_two_streams_and_normalised(self):
        with torch.no_grad():
            i = Embedder(self.img)(self.x)
            e = Embedder(self.sk)(edge_drawing(self.x))
            m = Embedder(self.img, self.sk, 0.75)(self.x)
        self.assertTrue(torch.allclose(m.norm(dim=1), torch.ones(3), atol=1e-5))
        self.assertTrue(torch.allclose(m, F.normalize(0.75 * i + 0.25 * e, dim=1), atol=1e-6))
        # closer to the image stream than to the edge stream, since that has the larger weight
        self.assertTrue(torch.all((m * i).sum(1) > (m * e).sum(1)))



class TestMirrorAugmentation(unittest.TestCase):
    """Embedder(flip=True): the embedding of an input and of its mirror image, averaged."""

    def setUp(self):
        # the shipped weights: freshly initialised branches give the same embedding for every input
        from sketchsearch.export import load_student
        sk_emb, img_emb = load_student(os.path.join(ROOT, 'models', 'student.pt'))
        self.img, self.sk = img_emb.branch, sk_emb.branch
        torch.manual_seed(0)
        self.x = torch.rand(3, 3, 128, 128) * 2 - 1
        self.x[:, :, :, :40] = 1  # blank paper on the left: the mirror image differs

    def test_mirrored_input_gives_the_same_embedding(self):
        for emb in (Embedder(self.sk, flip=True), Embedder(self.img, self.sk, 0.5, flip=True)):
            with torch.no_grad():
                a, b = emb(self.x), emb(torch.flip(self.x, dims=[3]))
            self.assertTrue(torch.allclose(a, b, atol=1e-5))
            self.assertTrue(torch.allclose(a.norm(dim=1), torch.ones(3), atol=1e-5))
        with torch.no_grad():  # without it the encoder is not mirror-invariant (so the check above can fail)
            plain = Embedder(self.img, self.sk, 0.5)
            self.assertFalse(torch.allclose(plain(self.x), plain(torch.flip(self.x, dims=[3])), atol=1e-3))

    def test_is_the_normalised_mean_of_both_views(self):
        plain, flip = Embedder(self.img, self.sk, 0.5), Embedder(self.img, self.sk, 0.5, flip=True)
        with torch.no_grad():
            want = F.normalize(plain(self.x) + plain(torch.flip(self.x, dims=[3])), dim=1)
            self.assertTrue(torch.allclose(flip(self.x), want, atol=1e-6))


    def test_views_are_the_normalised_sum_of_each_views_embedding(self):
        emb = Embedder(self.sk, flip=True, views=(0, 5))
        plain = Embedder(self.sk)
        with torch.no_grad():
            got = emb(self.x)
            parts = [thicker_ink(self.x, 0), thicker_ink(self.x, 5)]
            parts += [torch.flip(p, dims=[3]) for p in parts]
            want = F.normalize(sum(plain(p) for p in parts), dim=1)
            self.assertTrue(torch.allclose(got, want, atol=1e-5))
            self.assertFalse(torch.allclose(got, Embedder(self.sk, flip=True)(self.x), atol=1e-3))

    def test_dilation_views_are_for_sketches_only(self):
        with self.assertRaises(AssertionError):
            Embedder(self.img, self.sk, 0.5, views=(0, 5))


class TestThickerInk(unittest.TestCase):
    def test_grows_a_stroke_by_the_kernel_and_keeps_paper(self):
        x = torch.ones(1, 3, 128, 128)
        x[:, :, 60:63, 20:100] = -1  # a 3-px horizontal line
        self.assertTrue(torch.equal(thicker_ink(x, 0), x) and torch.equal(thicker_ink(x, 1), x))
        for k in (3, 5):
            y = thicker_ink(x, k)
            ink_rows = torch.nonzero((y[0, 0] == -1).any(dim=1)).flatten()
            self.assertEqual(len(ink_rows), 3 + (k - 1), k)  # k // 2 more rows on each side
            self.assertEqual(float(y[0, 0, 5, 5]), 1.0)  # paper stays paper
            self.assertEqual(tuple(y.shape), tuple(x.shape))
        with self.assertRaises(ValueError):
            thicker_ink(x, 4)
        grey = torch.full((1, 3, 8, 8), 0.2)  # partial ink keeps its level: a min filter, not a threshold
        self.assertTrue(torch.equal(thicker_ink(grey, 3), grey))


if __name__ == '__main__':
    unittest.main()
