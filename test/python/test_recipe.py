"""One recipe: train.sh (both builds), ablate.sh (variant v2) and gpu/device_train.sh take the shipped model's
options from training/recipe.sh, so a change there reaches all three and none keeps a copy of its own."""
import os
import re
import subprocess
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
T = os.path.join(ROOT, 'training')


def recipe():
    out = subprocess.run(['bash', '-c', 'source training/recipe.sh; echo "${V2_RECIPE[*]}"; echo "${V2_VIEWS[*]}"; echo "$V2_STEPS"'],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()
    return out[0].split(), out[1].split(), int(out[2])


class TestOneRecipe(unittest.TestCase):
    def test_recipe_is_the_v2_student(self):
        opts, views, steps = recipe()
        self.assertEqual(opts[opts.index('--arch') + 1], 'v2')
        self.assertIn('--w-share', opts)
        self.assertIn('--icon-doodles', opts)
        self.assertGreater(steps, 825)  # longer than the previous model's schedule (issue #15)
        self.assertTrue(all(v.startswith('--') or not v.startswith('-') for v in views))

    def test_scripts_source_it_and_keep_no_copy(self):
        for rel in ('train.sh', 'ablate.sh', os.path.join('gpu', 'device_train.sh')):
            text = open(os.path.join(T, rel)).read()
            code = '\n'.join(l for l in text.splitlines() if not l.lstrip().startswith('#'))
            self.assertRegex(code, r'source \S*recipe\.sh', rel)
            self.assertIn('${V2_RECIPE[@]}', code, rel)
            self.assertNotRegex(code, r'--arch v2|--w-share 1e-3', f'{rel} spells out the recipe itself')
        train = open(os.path.join(T, 'train.sh')).read()
        self.assertRegex(train, r'SHIPPED=\(--schedule-steps "\$V2_STEPS"')


if __name__ == '__main__':
    unittest.main()
