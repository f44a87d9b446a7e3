"""train.py --icon-doodles: asset samples drawn from the icon's own doodle strokes (same stroke
augmentation and rasteriser as QuickDraw) in place of the rendered outline."""
import gzip
import json
import os
import shutil
import sys
import tempfile
import unittest

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'training'))
from sketchsearch.train import SketchStream  # noqa: E402


class TestIconDoodleStream(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix='sks-stream-')
        w = lambda n, x: open(os.path.join(self.work, n), 'wb').write(x)  # noqa: E731
        with gzip.open(os.path.join(self.work, 'qd_train.json.gz'), 'wt') as f:
            json.dump([['cat', [[[0, 100, 200], [0, 200, 0]]], '1'], ['cat', [[[0, 255], [128, 128]]], '2']], f)
        w('sketches.u8', np.full((2, 128, 128, 3), 255, np.uint8).tobytes())
        w('outlines.u8', np.full((2, 128, 128, 3), 255, np.uint8).tobytes())  # blank: any ink is a doodle
        with gzip.open(os.path.join(self.work, 'icon_strokes.json.gz'), 'wt') as f:
            json.dump([[[[0, 255, 255, 0, 0], [0, 0, 255, 255, 0]]], []], f)  # asset 0: a square; asset 1: none

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def batch(self, share):
        s = SketchStream(self.work, 0, 2, 1, 16, {'cat': 0}, np.array([0, 1]), np.array([0, 1]), use_outlines_w=False, icon_doodles=share)
        x, _, _, oi, _ = next(iter(s))
        return x[-16:], oi.numpy()

    def test_doodles_replace_outlines_of_icons_with_strokes(self):
        xo, oi = self.batch(1.0)
        ink = (xo[:, 0] < 0).float().mean((1, 2)).numpy()
        self.assertTrue(np.all(ink[oi == 0] > 0.01), ink)  # the square, augmented and rasterised
        self.assertTrue(np.all(ink[oi == 1] == 0), ink)  # no strokes: the (blank) outline stays
        self.assertGreater((oi == 0).sum(), 0)

    def test_off_by_default(self):
        xo, _ = self.batch(0.0)
        self.assertEqual(float((xo[:, 0] < 0).float().mean()), 0.0)


if __name__ == '__main__':
    unittest.main()
