"""Unseen-class rule: no class in the union of ../shared/data/splits/unseen-*.txt may be trained on."""
import gzip
import json
import os
import subprocess
import sys
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'training'))
from sketchsearch.classes import UnseenFilter, load_unseen, normalize  # noqa: E402

DATA = os.environ.get('SKETCHSEARCH_DATA', os.path.join(ROOT, '..', 'shared', 'data'))
WORK = os.path.join(ROOT, 'training', '.work')
HAVE_DATA = os.path.isdir(os.path.join(DATA, 'splits'))


class TestNormalize(unittest.TestCase):
    def test_variants_match(self):
        self.assertEqual(normalize('hot-air_balloon'), normalize('hot air balloon'))
        self.assertEqual(normalize('Teddy_Bear'), normalize('teddy-bear'))
        self.assertEqual(normalize('alarm_clock'), 'alarm clock')
        self.assertEqual(normalize('  Wine  Bottle '), 'wine bottle')

    def test_filter_on_synthetic_list(self):
        f = UnseenFilter(['hot air balloon', 'teddy_bear', 'saw', 't-shirt', 'bat'])
        for c in ['hot-air_balloon', 'Hot Air Balloon', 'teddy-bear', 'TEDDY BEAR', 'see saw', 'baseball bat', 't_shirt']:
            self.assertTrue(f.is_unseen_class(c), c)
        for c in ['cat', 'sawfish', 'batman', 'shirt', 'balloon']:
            self.assertFalse(f.is_unseen_class(c), c)
        for a in ['teddy-bear', 'hot-air-balloon', 'balloon', 'saws', 'bat-face', 't-shirt', 'shirt-and-tie', 'bats']:
            self.assertTrue(f.is_unseen_asset(a), a)
        for a in ['cat-face', 'red-apple', 'sawfish', 'batman']:
            self.assertFalse(f.is_unseen_asset(a), a)


@unittest.skipUnless(HAVE_DATA, f'needs {DATA}')
class TestRealLists(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.unseen = load_unseen(os.path.join(DATA, 'splits'))
        cls.filt = UnseenFilter(cls.unseen)

    def test_union_loaded(self):
        self.assertGreaterEqual(len(self.unseen), 70)
        for n in ['hot air balloon', 'teddy bear', 'windmill', 'frying pan', 't shirt', 'fire hydrant']:
            self.assertIn(n, self.unseen)

    def test_quickdraw_training_classes(self):
        words = [l.strip() for l in open(os.path.join(DATA, 'splits', 'quickdraw-345-classes.txt')) if l.strip()]
        seen = self.filt.seen_classes(words)
        self.assertGreater(len(seen), 200)
        self.assertLess(len(seen), len(words))
        for c in seen:
            self.assertNotIn(normalize(c), self.unseen, c)
        self.assertNotIn('hot air balloon', [normalize(c) for c in seen])

    def test_sketchy_training_classes(self):
        tar = os.path.join(DATA, 'sketchy-seen', 'sketchy-seen-104.tar')
        names = subprocess.run(['tar', 'tf', tar], capture_output=True, text=True, check=True).stdout.split()
        classes = sorted({n.split('/')[1] for n in names if n.count('/') >= 2})
        self.assertEqual(len(classes), 104)
        seen = self.filt.seen_classes(classes)
        for c in seen:
            self.assertNotIn(normalize(c), self.unseen, c)
        self.assertNotIn('hot-air_balloon', seen)
        self.assertNotIn('teddy_bear', seen)


@unittest.skipUnless(os.path.exists(os.path.join(WORK, 'meta.json')), 'needs training/.work from sketchsearch.prepare')
class TestActualTrainingIndex(unittest.TestCase):
    """The dataset index the last prepare run actually wrote (what train.py reads)."""

    def test_no_unseen_in_index(self):
        unseen = load_unseen(os.path.join(DATA, 'splits'))
        filt = UnseenFilter(unseen)
        meta = json.load(open(os.path.join(WORK, 'meta.json')))
        val = {normalize(c) for c in meta['sketchy_val']}
        for c in meta['train_classes'] + meta['qd_classes'] + meta['sketchy_train']:
            self.assertNotIn(normalize(c), unseen, c)
            self.assertFalse(filt.is_unseen_class(c), c)
            self.assertNotIn(normalize(c), val, c)
        for a in meta['assets']:
            self.assertFalse(filt.is_unseen_asset(a['name']), a['name'])
            self.assertNotEqual(a['set'], 'openmoji')
        for s in meta['sketches'] + meta['photos']:
            self.assertFalse(filt.is_unseen_class(s['cls']), s['cls'])
        with gzip.open(os.path.join(WORK, 'qd_train.json.gz'), 'rt') as f:
            words = {r[0] for r in json.load(f)}
        for w in words:
            self.assertNotIn(normalize(w), unseen, w)
            self.assertNotIn(normalize(w), val, w)
        with open(os.path.join(ROOT, 'training', 'splits', 'sketchy-val-classes.txt')) as f:
            self.assertEqual(sorted(l.strip() for l in f if l.strip()), sorted(meta['sketchy_val']))


if __name__ == '__main__':
    unittest.main()
