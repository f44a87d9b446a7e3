"""The GPU path on the CPU (training/gpu, docs/gpu-training.md): pack a tiny synthetic work folder (the one
test_train_smoke makes), run training/gpu/device_train.sh with DEVICE=cpu on it (unpack, teacher features from
the packed weights, a 2-step v2 training, the export), and check the model and the record of its data.
CUDA itself cannot be tested here; what can: every step of the script, --device cuda refusing cleanly
without CUDA, and that the packed teacher is the TorchScript's network."""
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'training'))
sys.path.insert(0, os.path.join(ROOT, 'training', 'gpu'))
sys.path.insert(0, os.path.dirname(__file__))
from test_train_smoke import HAVE, TEACHER_DIR, make_work  # noqa: E402

SMALL = '--n-qd 4 --n-sk 2 --n-ol 4 --n-img 12 --dim 32 --bn-calib 8 --image-freeze 11'


class TestAssetOrder(unittest.TestCase):
    def test_every_class_first_then_seeded_random(self):
        import pack
        assets = [{'label': ['a', 'b', None][i % 3]} for i in range(30)]
        order = pack.asset_order(assets, bad={0, 1}, seed=0, min_per_class=2)
        self.assertEqual(sorted(order), list(range(2, 30)))  # failed assets never travel
        self.assertEqual(sorted(assets[i]['label'] for i in order[:4]), ['a', 'a', 'b', 'b'])
        self.assertEqual(order, pack.asset_order(assets, bad={0, 1}, seed=0, min_per_class=2))
        self.assertNotEqual(order, pack.asset_order(assets, bad={0, 1}, seed=1, min_per_class=2))


class TestImageCodec(unittest.TestCase):
    def test_lossless_with_and_without_base(self):
        import packfmt as pf
        rng = np.random.RandomState(0)
        x = (rng.rand(5, 128, 128, 3) * 255).astype(np.uint8)
        x[1:3] = x[1:3, ..., :1]  # gray images
        base = (rng.rand(5, 128, 128, 3) * 255).astype(np.uint8)
        for b in (None, base):
            fl, g, c = pf.encode_images(x, b)
            np.testing.assert_array_equal(pf.decode_images(5, fl, g, c, None if b is None else b.copy()), x)


class TestFinish(unittest.TestCase):
    def test_export_from_a_training_checkpoint(self):
        """train.py cut short (the device's deadline): its last --checkpoint-every student.pt becomes a model."""
        import argparse
        import torch
        from sketchsearch.export import finish, save_student
        from sketchsearch.model import Branch
        tmp = tempfile.mkdtemp(prefix='sks-finish-')
        try:
            torch.manual_seed(0)
            args = argparse.Namespace(arch='v1', sketch_width=0.25, image_width=0.25, dim=16)
            sk = Branch(0.25, 16).to(memory_format=torch.channels_last)  # as in training
            save_student(sk, Branch(0.25, 16), args, os.path.join(tmp, 'student.pt'),
                         {'step': 7, 't': 1.5, 'eval_log': [], 'args': {'device': 'cuda'}, 'data': {'pack_id': 'p1'}})
            report = finish(tmp, 'fin')
            for f in ('model.json', 'sketch_encoder.onnx', 'image_encoder.onnx', 'train_report.json'):
                self.assertGreater(os.path.getsize(os.path.join(tmp, f)), 0, f)
            self.assertEqual((report['steps'], report['data']['pack_id'], report['args']['device']), (7, 'p1', 'cuda'))
            self.assertIn('checkpoint of step 7', report['export'])
            self.assertTrue(report['id'].startswith('fin-'))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


@unittest.skipUnless(HAVE, f'needs the teacher in {TEACHER_DIR}')
class TestGpuPack(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='sks-gpu-')
        self.work = os.path.join(self.tmp, 'work')
        os.makedirs(self.work)
        make_work(self.work, np.random.RandomState(0))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_pack_unpack_train_on_cpu(self):
        import pack
        pk = os.path.join(self.tmp, 'pack')
        # a fixed budget: what the checkout leaves depends on the committed models (aside.sh), not on the pack
        m = pack.main(['--work', self.work, '--out', pk, '--teacher-dir', TEACHER_DIR, '--max-assets', '6', '--min-per-class', '1',
                       '--budget-mib', '20'])
        self.assertEqual(m['assets']['kept'], 6)
        self.assertEqual(m['assets']['total'], 9)
        self.assertEqual(m['assets']['classes_kept_of'], [3, 3])  # one labelled asset of every class first
        self.assertIn('assets', m['lossy'])
        self.assertEqual(m['lossy']['photos']['quality'], 90)
        self.assertEqual(m['source']['sha1']['meta.json'], pack.file_sha1(os.path.join(self.work, 'meta.json')))
        self.assertFalse(any(f.endswith('.torchscript.pt') for f in os.listdir(pk)))  # weights only, not the 23 MB file
        self.assertLess(m['pack_bytes'], 3 * 2 ** 20)

        out, work2 = os.path.join(self.tmp, 'out'), os.path.join(self.tmp, 'work2')
        env = {**os.environ, 'DEVICE': 'cpu', 'PACK': pk, 'WORK': work2, 'OUT': out, 'PYTHON': sys.executable,
               'STEPS': '2', 'WORKERS': '1', 'THREADS': '2', 'CKPT_EVERY': '1', 'TRAIN_EXTRA': SMALL, 'NAME': 'gpu-smoke',
               'TUNE_STEPS': '2', 'TUNE_EXTRA': '--n-qd 4 --n-sk 2 --n-ol 4 --n-bank 8'}
        r = subprocess.run(['bash', os.path.join(ROOT, 'training', 'gpu', 'device_train.sh')], env=env,
                           capture_output=True, text=True, timeout=600)
        self.assertEqual(r.returncode, 0, r.stdout[-4000:] + r.stderr[-2000:])
        if os.environ.get('SKS_TEST_LOG'):
            shutil.copy(os.path.join(out, 'device_train.log'), os.environ['SKS_TEST_LOG'])
        for f in ('model.json', 'sketch_encoder.onnx', 'image_encoder.onnx', 'student.pt', 'train_report.json'):
            self.assertGreater(os.path.getsize(os.path.join(out, 'model', f)), 0, f)
        self.assertTrue(os.path.exists(os.path.join(out, 'device_train.log')))
        self.assertLessEqual(sum(len(fs) for _, _, fs in os.walk(out)), 8)  # the run tool brings back at most 8 files
        import torch
        # the recipe's last stage ran on the trained model: the sketch-side tuning's report keeps the training's whole
        tuned = json.load(open(os.path.join(out, 'model', 'train_report.json')))
        self.assertEqual(tuned['sketch_tune']['args']['device'], 'cpu')
        self.assertEqual(tuned['sketch_tune']['args']['steps'], 2)
        self.assertIn('sketch-side tuning: 2 steps', open(os.path.join(out, 'device_train.log')).read())
        self.assertEqual(tuned['id'], json.load(open(os.path.join(out, 'model', 'model.json')))['id'])
        self.assertIn('edge', torch.load(os.path.join(out, 'model', 'student.pt')))
        report = tuned['before_sketch_tune']
        self.assertEqual(report['steps'], 2)
        self.assertEqual(report['args']['device'], 'cpu')
        self.assertEqual(report['args']['arch'], 'v2')
        views = subprocess.run(['bash', '-c', 'source training/recipe.sh; echo "${V2_VIEWS[*]}"'], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.split()
        want = [int(v) for v in views[views.index('--sketch-views') + 1].split(',')]
        self.assertEqual(report['args']['sketch_views'], want)  # the shipped recipe's views (training/recipe.sh)
        export = subprocess.run(['bash', '-c', 'source training/recipe.sh; echo "${V2_EXPORT[*]}"'], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.split()
        cfg = torch.load(os.path.join(out, 'model', 'student.pt'))['config']  # exported once, with the export-time edge stream
        self.assertEqual(cfg['edge_mix'], float(export[export.index('--edge-mix') + 1]))
        self.assertEqual(cfg['edge_size'], int(export[export.index('--edge-size') + 1]))
        self.assertNotIn('re-export', open(os.path.join(out, 'device_train.log')).read())
        self.assertEqual(report['data']['pack_id'], m['pack_id'])  # the report names its data
        self.assertEqual(report['data']['assets']['kept'], 6)
        self.assertEqual(json.load(open(os.path.join(out, 'pack_manifest.json')))['pack_id'], m['pack_id'])

        # the unpacked work folder: the kept assets, bit for bit, in meta order; sketches as packed
        meta = json.load(open(os.path.join(work2, 'meta.json')))
        kept = sorted(json.load(open(os.path.join(pk, 'assets_kept.json'))))
        self.assertEqual(len(meta['assets']), 6)
        load = lambda w, k: np.fromfile(os.path.join(w, k + '.u8'), np.uint8).reshape(-1, 128, 128, 3)  # noqa: E731
        for k in ('assets', 'outlines', 'outlines_w'):
            np.testing.assert_array_equal(load(work2, k), load(self.work, k)[kept])
        np.testing.assert_array_equal(load(work2, 'sketches'), load(self.work, 'sketches'))
        with gzip.open(os.path.join(work2, 'icon_strokes.json.gz'), 'rt') as f, gzip.open(os.path.join(self.work, 'icon_strokes.json.gz'), 'rt') as g:
            orig = json.load(g)
            self.assertEqual(json.load(f), [orig[i] for i in kept])
        np.testing.assert_array_equal(np.load(os.path.join(work2, 'qd_eval_tensors.npy')), np.load(os.path.join(self.work, 'qd_eval_tensors.npy')))
        # the teacher rebuilt from the packed weights computes the TorchScript's features
        from sketchsearch.teacher import teacher_features
        want = teacher_features(os.path.join(TEACHER_DIR, 'mobilenet_v2_1.0_224_quant.torchscript.pt'), load(self.work, 'sketches'))
        got = np.load(os.path.join(work2, 'teacher_sketches.npy'))
        self.assertLess(np.abs(got - want).max(), 1e-3 * np.abs(want).max())
        self.assertEqual(np.load(os.path.join(work2, 'teacher_qd_train.npy')).shape, (12, 1280))  # 4 drawings x 3 classes

        # what the device would refuse without CUDA
        import torch
        if not torch.cuda.is_available():
            r = subprocess.run(['bash', os.path.join(ROOT, 'training', 'gpu', 'device_train.sh')], capture_output=True, text=True,
                               env={**env, 'DEVICE': 'cuda', 'OUT': os.path.join(self.tmp, 'out-cuda')}, timeout=120)
            self.assertEqual(r.returncode, 3, r.stdout)
            self.assertIn('CUDA is not available', r.stdout)
            from sketchsearch import train
            with self.assertRaises(SystemExit) as e:
                train.main(['--work', work2, '--device', 'cuda'])
            self.assertIn('CUDA is not available', str(e.exception))


if __name__ == '__main__':
    unittest.main()
