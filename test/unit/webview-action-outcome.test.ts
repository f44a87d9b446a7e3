/** The webview announces what the host says an action did (src/webview/actionOutcome.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionAnnouncement } from '../../src/webview/actionOutcome';

test('an insert is announced only when the host says it happened', () => {
  assert.equal(actionAnnouncement('insertReference', 'cat.png', 'inserted', 'notes.md'), 'Inserted a reference to cat.png into notes.md');
  const none = actionAnnouncement('insertReference', 'cat.png', 'noEditor');
  assert.ok(none && /nothing inserted/i.test(none) && !/inserted a reference/i.test(none), none ?? '');
  assert.match(actionAnnouncement('insertMarkdownLink', 'cat.png', 'notInserted') ?? '', /nothing inserted/i);
  assert.match(actionAnnouncement('insertReference', 'cat.png', 'gone') ?? '', /nothing inserted.*no longer/i);
  assert.match(actionAnnouncement('insertReference', 'cat.png', 'failed', 'boom') ?? '', /nothing inserted: boom/i);
  assert.equal(actionAnnouncement('copyPath', 'cat.png', 'copied'), 'Copied the path of cat.png');
  assert.equal(actionAnnouncement('preview', 'cat.png', 'opened'), null);
});
