"""Icons turned into doodle-like strokes (training/sketchsearch/icon_strokes.py)."""
import json
import os
import sys
import unittest

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'training'))
from sketchsearch.icon_strokes import icon_strokes, path_polylines, rdp, svg_polylines  # noqa: E402
from sketchsearch.preprocess import quickdraw_to_strokes, rasterize_strokes  # noqa: E402

ICONIFY = os.path.join(ROOT, 'bench', 'corpora', 'node_modules', '@iconify-json')


def svg(body, vb='0 0 200 200'):
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{vb}">{body}</svg>'


class TestGeometry(unittest.TestCase):
    def test_circle_lands_on_a_circle_in_the_quickdraw_box(self):
        st = icon_strokes(svg('<circle cx="100" cy="100" r="50"/>'))
        self.assertEqual(len(st), 1)
        xs, ys = np.array(st[0][0]), np.array(st[0][1])
        self.assertEqual((xs.min(), ys.min(), xs.max(), ys.max()), (0, 0, 255, 255))
        r = np.hypot(xs - 127.5, ys - 127.5)
        self.assertTrue(np.all(np.abs(r - 127.5) < 2.5), r)  # RDP epsilon 2 + rounding
        self.assertGreater(len(xs), 12)  # still round, not a square
        self.assertLess(len(xs), 80)  # but simplified

    def test_nested_transforms(self):
        pl = svg_polylines(svg('<g transform="translate(10,0)"><g transform="scale(2)"><rect x="1" y="2" width="3" height="4"/></g></g>'))
        self.assertEqual(len(pl), 1)
        np.testing.assert_allclose(pl[0][:4], [[12, 4], [18, 4], [18, 12], [12, 12]])
        rot = svg_polylines(svg('<line x1="0" y1="0" x2="10" y2="0" transform="rotate(90)"/>'))
        np.testing.assert_allclose(rot[0], [[0, 0], [0, 10]], atol=1e-9)

    def test_path_commands(self):
        sq = path_polylines('M10 10 h20 v20 h-20 z m5 5 l1 1')
        np.testing.assert_allclose(sq[0], [[10, 10], [30, 10], [30, 30], [10, 30], [10, 10]])
        np.testing.assert_allclose(sq[1], [[15, 15], [16, 16]])  # m after z is relative to the closed start
        arc = path_polylines('M0 50 A50 50 0 0 1 100 50')[0]
        self.assertAlmostEqual(arc[:, 1].min(), 0.0, delta=0.5)  # sweep 1 goes over the top (y down)
        np.testing.assert_allclose(arc[-1], [100, 50])
        self.assertTrue(np.all(np.abs(np.hypot(arc[:, 0] - 50, arc[:, 1] - 50) - 50) < 1e-6))
        cub = path_polylines('M0 0 C0 100 100 100 100 0 S200 -100 200 0')[0]
        np.testing.assert_allclose(cub[-1], [200, 0])
        self.assertAlmostEqual(cub[:, 1].max(), 75, delta=1)  # cubic's peak at t=0.5
        self.assertAlmostEqual(cub[:, 1].min(), -75, delta=1)  # the reflected control point
        q = path_polylines('M0 0 Q50 100 100 0 T200 0')[0]
        self.assertAlmostEqual(q[:, 1].max(), 50, delta=1)
        self.assertAlmostEqual(q[:, 1].min(), -50, delta=1)

    def test_malformed_and_hidden_input_draws_what_it_can(self):
        self.assertEqual(len(path_polylines('M0 0 L10 10 L 5')), 1)  # truncated tail dropped
        self.assertEqual(path_polylines('10 10'), [])
        self.assertEqual(path_polylines(''), [])
        doc = svg('<defs><path d="M0 0 L100 100"/></defs><clipPath><rect width="5" height="5"/></clipPath>'
                  '<path d="M0 0 L100 0" display="none"/><path d="M0 0 L0 100"/>')
        self.assertEqual(len(svg_polylines(doc)), 1)
        self.assertEqual(icon_strokes(svg('<text>hi</text>')), [])

    def test_specks_dropped_longest_first(self):
        st = icon_strokes(svg('<path d="M0 0 L200 0"/><path d="M0 100 L100 100"/><circle cx="50" cy="150" r="1"/>'))
        self.assertEqual(len(st), 2)
        self.assertEqual(st[0], [[0, 255], [0, 0]])

    def test_rdp(self):
        pts = np.array([[0, 0], [1, 0.1], [2, -0.1], [3, 5], [4, 6], [5, 7]], float)
        np.testing.assert_array_equal(rdp(pts, 0.5), pts[[0, 2, 3, 5]])
        np.testing.assert_array_equal(rdp(pts[:2], 0.5), pts[:2])


@unittest.skipUnless(os.path.isdir(os.path.join(ICONIFY, 'twemoji')), 'needs bash scripts/fetch-corpora.sh')
class TestRealIcons(unittest.TestCase):
    def test_icons_become_doodles_the_rasteriser_draws(self):
        from sketchsearch.prepare import svg_doc
        for s, n in [('twemoji', 'cat-face'), ('twemoji', 'key'), ('game-icons', 'umbrella'), ('tabler', 'bike')]:
            j = json.load(open(os.path.join(ICONIFY, s, 'icons.json')))
            ic = j['icons'][n]
            st = icon_strokes(svg_doc(ic['body'], ic.get('width', j.get('width', 16)), ic.get('height', j.get('height', 16))))
            self.assertTrue(1 <= len(st) <= 40, (n, len(st)))
            pts = np.concatenate([np.array(x).T for x in st])
            self.assertTrue(pts.min() >= 0 and pts.max() <= 255, n)
            self.assertLess(len(pts), 400, n)  # doodle-sized, like QuickDraw's simplified drawings
            ink = rasterize_strokes(quickdraw_to_strokes(st))
            self.assertTrue(0.02 < ink.mean() < 0.35, (n, ink.mean()))


if __name__ == '__main__':
    unittest.main()
