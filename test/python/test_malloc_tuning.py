"""sketchsearch keeps freed memory in the process (malloc_tuning.py): a loop that allocates and frees 24 MiB
arrays, as every training step and teacher batch does, faults its pages in once instead of every time.
Measured in two fresh interpreters, one that imports sketchsearch and one that does not."""
import os
import subprocess
import sys
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'training'))
LOOP = """
import resource, sys
import numpy as np
if sys.argv[1] == 'tuned':
    import sketchsearch  # noqa: F401  (the import applies the tuning)
f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(30):
    a = np.ones(3 << 20)  # 24 MiB, every page touched
    b = np.ones(3 << 20)
    del a, b
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0)
"""


def page_faults(mode):
    out = subprocess.run([sys.executable, '-c', LOOP, mode], cwd=os.path.join(ROOT, 'training'), check=True,
                         capture_output=True, text=True)
    return int(out.stdout.strip())


@unittest.skipUnless(sys.platform.startswith('linux'), 'glibc only')
class TestMallocTuning(unittest.TestCase):
    def test_settings_apply(self):
        from sketchsearch.malloc_tuning import keep_freed_memory
        self.assertTrue(keep_freed_memory())

    def test_freed_pages_are_reused(self):
        plain, tuned = page_faults('plain'), page_faults('tuned')
        # 60 arrays of 6,144 pages each: untuned glibc trims or unmaps them after every free (about 30,000 faults
        # here), tuned it faults them in about once
        self.assertGreater(plain, 15000)
        self.assertLess(tuned, plain / 5)


if __name__ == '__main__':
    unittest.main()
