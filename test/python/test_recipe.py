"""One recipe: train.sh (both builds), ablate.sh (variant v2) and gpu/device_train.sh take the shipped model's
options from training/recipe.sh, so a change there reaches all three and none keeps a copy of its own."""
import os
import re
import subprocess
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
T = os.path.join(ROOT, 'training')


def sourced(echo):
    """What `echo` prints after sourcing training/recipe.sh, e.g. sourced('"${V2_EXPORT[*]}"')."""
    return subprocess.run(['bash', '-c', f'source training/recipe.sh; echo {echo}'], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def recipe():
    out = sourced('"${V2_RECIPE[*]}"; echo "${V2_VIEWS[*]}"; echo "$V2_STEPS"').splitlines()
    return out[0].split(), out[1].split(), int(out[2])


def value(call, option):
    return call[call.index(option) + 1]


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
            if rel != 'ablate.sh':  # what ships is exported with the export-time options, by train.py itself
                self.assertIn('${V2_EXPORT[@]}', code, rel)
                self.assertNotIn('sketchsearch.export "$', code, f'{rel} exports a second time')
        train = open(os.path.join(T, 'train.sh')).read()
        self.assertRegex(train, r'SHIPPED=\(--schedule-steps "\$V2_STEPS"')
        # the second cycle: the recipe's options again, warm-started from the first cycle's student.pt
        self.assertRegex(train, r'RESTART=\(--schedule-steps "\$V2_RESTART_STEPS" .*"\$\{V2_RECIPE\[@\]\}" .*"\$\{V2_RESTART\[@\]\}"')
        self.assertRegex(train, r'"\$\{RESTART\[@\]\}" --init-from "\$WORK/cycle1/student.pt"')
        # the last stage, the sketch side alone, in both scripts that train what ships
        for rel in ('train.sh', os.path.join('gpu', 'device_train.sh')):
            code = open(os.path.join(T, rel)).read()
            self.assertIn('-m sketchsearch.sketch_tune ', code, rel)
            self.assertIn('--steps "$V2_TUNE_STEPS"' if rel == 'train.sh' else 'TUNE_STEPS=${TUNE_STEPS:-$V2_TUNE_STEPS}', code, rel)
            self.assertIn('"${V2_TUNE[@]}"', code, rel)

    def test_train_sh_runs_both_cycles(self):
        """train.sh without options: prepare, the first cycle into WORK/cycle1, the warm restart from its student.pt
        into WORK/cycle2, each with the recipe's options and its export-time options (train.py exports once, with the
        edge stream; no second export), then the sketch-side tuning from the second cycle's student.pt into the
        build's folder (a stub python records the commands)."""
        import tempfile
        d = tempfile.mkdtemp(prefix='sks-recipe-')
        log = os.path.join(d, 'calls')
        stub = os.path.join(d, 'python3')
        with open(stub, 'w') as f:
            f.write(f'#!/bin/sh\necho "$*" >> {log}\n')
        os.chmod(stub, 0o755)
        subprocess.run(['bash', os.path.join(T, 'train.sh'), '--build', 'full', '--teacher-dir', '/t'], check=True,
                       env={**os.environ, 'SKETCHSEARCH_PYTHON': stub}, capture_output=True)
        calls = open(log).read().splitlines()
        self.assertEqual(len(calls), 4, calls)
        self.assertTrue(calls[0].startswith('-m sketchsearch.prepare --build full --work .work/full'), calls[0])
        opts, views, steps = recipe()
        first, second = calls[1].split(), calls[2].split()
        for c in (first, second):
            self.assertEqual(c[:2], ['-m', 'sketchsearch.train'])
            self.assertIn(' '.join(opts), ' '.join(c))
            self.assertEqual(value(c, '--teacher-dir'), '/t')
        self.assertEqual(value(first, '--out'), '.work/full/cycle1')
        self.assertEqual(value(first, '--schedule-steps'), str(steps))
        self.assertEqual(value(second, '--out'), '.work/full/cycle2')
        self.assertEqual(value(second, '--init-from'), '.work/full/cycle1/student.pt')
        restart = sourced('"$V2_RESTART_STEPS ${V2_RESTART[*]}"').split()
        self.assertEqual(value(second, '--schedule-steps'), restart[0])
        self.assertIn(' '.join(restart[1:]), ' '.join(second))
        export = sourced('"${V2_EXPORT[*]}"').strip()
        self.assertIn('--edge-mix', export)
        for c in (first, second):
            self.assertIn(export, ' '.join(c))
        self.assertFalse(any('sketchsearch.export' in c for c in calls), calls)
        tune = calls[3].split()
        self.assertEqual(tune[:2], ['-m', 'sketchsearch.sketch_tune'])
        self.assertEqual(value(tune, '--init-from'), '.work/full/cycle2/student.pt')
        self.assertEqual(value(tune, '--out'), '../models')
        self.assertEqual(value(tune, '--work'), '.work/full')
        steps_opts = sourced('"$V2_TUNE_STEPS ${V2_TUNE[*]}"').split()
        self.assertEqual(value(tune, '--steps'), steps_opts[0])
        self.assertIn(' '.join(steps_opts[1:]), ' '.join(tune))


if __name__ == '__main__':
    unittest.main()
