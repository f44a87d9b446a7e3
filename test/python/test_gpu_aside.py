"""training/gpu/aside.sh: the committed model files (student.pt, the encoders) leave the checkout for a device
run (so the GPU pack gets their 42 MB of the 64 MiB the device tool sends) and come back unchanged; pack.py's
measure of what travels sees the difference."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'training', 'gpu'))
sys.path.insert(0, os.path.join(ROOT, 'training'))


class TestAside(unittest.TestCase):
    def setUp(self):
        self.repo = tempfile.mkdtemp(prefix='sks-aside-')
        git = lambda *a: subprocess.run(['git', '-C', self.repo, *a], check=True, capture_output=True)  # noqa: E731
        git('init', '-q')
        os.makedirs(os.path.join(self.repo, 'models', 'zero-shot'))
        for rel, n in (('models/student.pt', 300_000), ('models/zero-shot/student.pt', 200_000), ('models/model.json', 10),
                       ('models/zero-shot/image_encoder.onnx', 50_000), ('models/topk.onnx', 7)):
            with open(os.path.join(self.repo, rel), 'wb') as f:
                f.write(os.urandom(n))
        with open(os.path.join(self.repo, '.gitignore'), 'w') as f:
            f.write('training/.gpu-aside/\n')
        git('add', '-A')
        git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'x')
        self.sha = {r: open(os.path.join(self.repo, r), 'rb').read()
                    for r in ('models/student.pt', 'models/zero-shot/student.pt', 'models/zero-shot/image_encoder.onnx')}

    def tearDown(self):
        shutil.rmtree(self.repo, ignore_errors=True)

    def aside(self, cmd):
        return subprocess.run(['bash', os.path.join(ROOT, 'training', 'gpu', 'aside.sh'), cmd], env={**os.environ, 'REPO': self.repo},
                              capture_output=True, text=True)

    def test_out_and_back(self):
        from pack import travelling_bytes
        before = travelling_bytes(self.repo)
        r = self.aside('out')
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.repo, 'models', 'student.pt')))
        self.assertEqual(before - travelling_bytes(self.repo), 550_000)  # the aside folder is ignored: it does not travel
        self.assertTrue(os.path.exists(os.path.join(self.repo, 'models', 'model.json')))  # small files stay
        self.assertTrue(os.path.exists(os.path.join(self.repo, 'models', 'topk.onnx')))
        self.assertEqual(self.aside('out').returncode, 0)  # twice is harmless
        self.assertIn('aside: models/zero-shot/student.pt', self.aside('status').stdout)
        r = self.aside('back')
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        for rel, b in self.sha.items():
            self.assertEqual(open(os.path.join(self.repo, rel), 'rb').read(), b)
        self.assertEqual(travelling_bytes(self.repo), before)

    def test_refuses_to_overwrite_and_reports_missing(self):
        self.aside('out')
        shutil.copy(os.path.join(self.repo, 'training', '.gpu-aside', 'models', 'student.pt'), os.path.join(self.repo, 'models', 'student.pt'))
        r = self.aside('back')
        self.assertEqual(r.returncode, 3)
        self.assertIn('exists in the checkout and aside', r.stdout)
        os.remove(os.path.join(self.repo, 'models', 'student.pt'))
        shutil.rmtree(os.path.join(self.repo, 'training', '.gpu-aside'))
        r = self.aside('back')
        self.assertEqual(r.returncode, 3)
        self.assertIn('git checkout -- models/student.pt restores it', r.stdout)
        self.assertEqual(self.aside('nonsense').returncode, 2)


if __name__ == '__main__':
    unittest.main()
