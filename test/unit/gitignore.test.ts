import assert from 'node:assert/strict';
import { test } from 'node:test';
import picomatch from 'picomatch';
import { gitignoreToGlobs } from '../../src/core/gitignore';

test('.gitignore lines become exclude globs with gitignore semantics', () => {
  const { globs, unsupported } = gitignoreToGlobs([
    '# comment', '', 'dist/', '/build', 'docs/generated', '*.png', 'cache', '!keep.png', '\\#notes', 'trailing   ', 'out/**',
  ].join('\n'));
  assert.deepEqual(unsupported, ['!keep.png']);
  const m = picomatch(globs, { dot: true });
  const ex = (p: string) => m(p);
  // dir-only, any depth
  assert.ok(ex('dist/a.png') && ex('pkg/dist/a.svg'));
  assert.ok(!ex('dist.svg'));
  // anchored
  assert.ok(ex('build/x.svg') && ex('build'));
  assert.ok(!ex('src/build/x.svg'));
  assert.ok(ex('docs/generated/a.svg') && !ex('x/docs/generated/a.svg'));
  // file pattern any depth
  assert.ok(ex('a.png') && ex('deep/er/b.png') && !ex('a.svg'));
  // name matches file or folder
  assert.ok(ex('cache') && ex('x/cache/y.svg'));
  assert.ok(ex('#notes') && ex('trailing'));
  assert.ok(ex('out/a/b.svg'));
});

test('base folder prefixes patterns', () => {
  const { globs } = gitignoreToGlobs('gen/\n*.tmp', 'packages/a');
  const m = picomatch(globs, { dot: true });
  assert.ok(m('packages/a/gen/x.png') && m('packages/a/deep/y.tmp'));
  assert.ok(!m('gen/x.png') && !m('packages/b/gen/x.png'));
});
