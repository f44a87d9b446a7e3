"""The aligned teacher (train.py --sk-align) is fitted on training classes only: changing the teacher
features of validation sketches or of validation photos must not change any training target."""
import os
import sys
import tempfile
import types
import unittest

import numpy as np
import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'training'))
from sketchsearch.train import aligned_sketch_teacher  # noqa: E402


def setup(work, rng, n_cls=6, d=32):
    """6 training classes (ids 0-5) plus validation sketches/photos (label -1, as train.py has them)."""
    sketches = [{'cls': f'c{k}', 'val': False} for k in range(n_cls) for _ in range(5)]
    sketches += [{'cls': f'v{k}', 'val': True} for k in range(2) for _ in range(5)]
    photos = [{'cls': f'c{k}', 'val': False} for k in range(n_cls) for _ in range(3)]
    photos += [{'cls': f'v{k}', 'val': True} for k in range(2) for _ in range(3)]
    sk_label = np.array([int(s['cls'][1:]) if not s['val'] else -1 for s in sketches])
    img_label = np.array([int(p['cls'][1:]) if not p['val'] else -1 for p in photos])
    img_ok = np.array([not p['val'] for p in photos])
    sk_idx = np.array([i for i, s in enumerate(sketches) if not s['val']])
    qd_cls = np.repeat(np.arange(n_cls), 4)
    np.save(os.path.join(work, 'teacher_sketches.npy'), rng.rand(len(sketches), d).astype(np.float32))
    np.save(os.path.join(work, 'teacher_qd_train.npy'), rng.rand(len(qd_cls) - 3, d).astype(np.float16))
    np.save(os.path.join(work, 'teacher_qd_train_rows.npy'), np.arange(3, len(qd_cls)))
    tea_c = torch.from_numpy(rng.randn(len(photos), d).astype(np.float32))
    return dict(sketches=sketches, photos=photos, sk_label=sk_label, img_label=img_label, img_ok=img_ok,
                sk_idx=sk_idx, qd_cls=qd_cls, tea_c=tea_c)


class TestAlignedTeacher(unittest.TestCase):
    def run_fit(self, work, s):
        args = types.SimpleNamespace(align_lam=1.0)
        return aligned_sketch_teacher(work, args, s['tea_c'], s['img_label'], s['img_ok'], s['sk_idx'],
                                      s['sk_label'], s['qd_cls'], s['photos'], s['sketches'])

    def test_validation_data_does_not_change_training_targets(self):
        with tempfile.TemporaryDirectory() as work:
            s = setup(work, np.random.RandomState(0))
            al_sk, al_qd, rep = self.run_fit(work, s)
            self.assertEqual(al_qd[:3].abs().sum().item(), 0, 'drawings without teacher features get no target')
            self.assertTrue(torch.allclose(al_qd[3:].norm(dim=1), torch.ones(len(al_qd) - 3), atol=1e-5))
            # Perturb every validation sketch's and validation photo's teacher features.
            sk = np.load(os.path.join(work, 'teacher_sketches.npy'))
            val = [i for i, x in enumerate(s['sketches']) if x['val']]
            sk[val] = np.random.RandomState(1).rand(len(val), sk.shape[1])
            np.save(os.path.join(work, 'teacher_sketches.npy'), sk)
            pv = [i for i, x in enumerate(s['photos']) if x['val']]
            s['tea_c'][pv] = torch.randn(len(pv), s['tea_c'].shape[1])
            al_sk2, al_qd2, rep2 = self.run_fit(work, s)
            train = torch.from_numpy(s['sk_idx'])
            self.assertTrue(torch.allclose(al_sk[train], al_sk2[train], atol=1e-5))
            self.assertTrue(torch.allclose(al_qd, al_qd2, atol=1e-5))
            # ...while the validation-only report does change (so the check above can fail).
            self.assertNotEqual(rep['sketchy_val_map_aligned'], rep2['sketchy_val_map_aligned'])


if __name__ == '__main__':
    unittest.main()
