import os
import sys
import unittest

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'training'))
from sketchsearch import augment  # noqa: E402
from sketchsearch.preprocess import INPUT_SIZE, rasterize_strokes, rgb_to_tensor, sketch_tensor  # noqa: E402


class TestPreprocess(unittest.TestCase):
    def test_empty_is_white(self):
        t = sketch_tensor([])
        self.assertEqual(t.shape, (3, INPUT_SIZE, INPUT_SIZE))
        self.assertTrue(np.all(t == 1))

    def test_dot_in_centre(self):
        ink = rasterize_strokes([[[5, 7]]])
        self.assertEqual(ink[64, 64], 1.0)
        self.assertEqual(ink[0, 0], 0.0)

    def test_margin_and_aspect(self):
        ink = rasterize_strokes([[[0, 0], [100, 0]]])
        cols = np.nonzero(ink.max(0) > 0)[0]
        self.assertTrue(6 <= cols.min() <= 8 and 119 <= cols.max() <= 121, (cols.min(), cols.max()))
        rows = np.nonzero(ink.max(1) > 0)[0]
        self.assertLessEqual(rows.max() - rows.min(), 4)

    def test_non_finite_dropped(self):
        a = rasterize_strokes([[[0, 0], [float('nan'), 3], [10, 10]]])
        b = rasterize_strokes([[[0, 0], [10, 10]]])
        np.testing.assert_array_equal(a, b)

    def test_rgb_to_tensor(self):
        rgb = np.zeros((INPUT_SIZE, INPUT_SIZE, 3), np.uint8)
        rgb[..., 0] = 255
        t = rgb_to_tensor(rgb)
        self.assertEqual(t.shape, (3, INPUT_SIZE, INPUT_SIZE))
        self.assertTrue(np.all(t[0] == 1) and np.all(t[1] == -1))

    def test_stroke_augment_is_finite_and_rasterises(self):
        rng = np.random.RandomState(0)
        strokes = [[[0, 0], [50, 80], [100, 0]], [[20, 40], [80, 40]], [[50, 50]]]
        for _ in range(20):
            s = augment.augment_strokes(strokes, rng)
            self.assertTrue(all(np.all(np.isfinite(np.asarray(p))) for p in s))
            self.assertGreater(rasterize_strokes(s).sum(), 10)


if __name__ == '__main__':
    unittest.main()
