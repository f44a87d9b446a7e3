"""teacher.reused_rows: the full build copies the teacher features of images the zero-shot build already
computed (same teacher file, same pixels) instead of running the teacher again; a donor whose features are not
marked as made from its own images by this teacher is ignored."""
import os
import sys
import tempfile
import unittest

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'training'))
from sketchsearch.prepare import content_key, mark  # noqa: E402
from sketchsearch.teacher import reused_rows  # noqa: E402


def images(seed, n):
    return np.random.RandomState(seed).randint(0, 256, (n, 128, 128, 3)).astype(np.uint8)


class TestTeacherReuse(unittest.TestCase):
    def test_copies_identical_rows_only(self):
        with tempfile.TemporaryDirectory() as tmp:
            tpath = os.path.join(tmp, 'teacher.pt')
            open(tpath, 'wb').write(b'a teacher')
            donor = os.path.join(tmp, 'zero-shot')
            os.makedirs(donor)
            du8 = images(0, 5)
            du8.tofile(os.path.join(donor, 'assets.u8'))
            dfeat = np.arange(5 * 4, dtype=np.float32).reshape(5, 4)
            np.save(os.path.join(donor, 'teacher_assets.npy'), dfeat)
            mark(os.path.join(donor, 'teacher_assets.npy'), content_key(tpath, du8, 'teacher-224-bilinear'))
            u8 = np.stack([du8[4], images(1, 1)[0], du8[1]])
            feats, have = reused_rows(tpath, u8, 'assets', [donor])
            self.assertEqual(have.tolist(), [True, False, True])
            np.testing.assert_array_equal(feats[0], dfeat[4])
            np.testing.assert_array_equal(feats[2], dfeat[1])
            # another teacher: the donor's features are not this teacher's
            other = os.path.join(tmp, 'other.pt')
            open(other, 'wb').write(b'another teacher')
            feats, have = reused_rows(other, u8, 'assets', [donor])
            self.assertFalse(have.any())
            # a donor whose features are stale (its images changed since) is ignored
            images(2, 5).tofile(os.path.join(donor, 'assets.u8'))
            feats, have = reused_rows(tpath, u8, 'assets', [donor])
            self.assertFalse(have.any())
            # a folder without the files is skipped
            feats, have = reused_rows(tpath, u8, 'assets', [os.path.join(tmp, 'none')])
            self.assertIsNone(feats)


if __name__ == '__main__':
    unittest.main()
