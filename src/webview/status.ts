/**
 * The status line under the toolbar: index state, Trust button, progress with a cancel button,
 * "Resume" when paused, the number of skipped files (a link to their list), last search latency.
 */
import type { IndexStatusMessage } from '../shared/protocol';
import { formatLatency, formatStatus } from './format';
import { icon } from './icons';
import { t } from './l10n';

export type StatusCommand = 'trustWorkspace' | 'showOutput' | 'rebuildIndex' | 'cancelIndexing' | 'resumeIndexing' | 'showSkippedFiles';

export class StatusLine {
  readonly el: HTMLElement;
  private readonly text: HTMLElement;
  private readonly trust: HTMLElement;
  private readonly latency: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly fixes: HTMLElement;
  private readonly cancel: HTMLButtonElement;
  private readonly resume: HTMLElement;
  private readonly skipped: HTMLButtonElement;
  private lastKind = '';

  constructor(onCommand: (c: StatusCommand) => void, private readonly announce: (s: string) => void) {
    this.el = document.createElement('div');
    this.el.className = 'status';
    this.el.dataset.testid = 'status-line';
    this.el.dataset.state = 'unknown';

    const row = document.createElement('div');
    row.className = 'status-row';
    this.text = document.createElement('span');
    this.text.className = 'status-text';
    this.text.textContent = t('Starting…');
    this.latency = document.createElement('span');
    this.latency.className = 'latency';
    this.latency.dataset.testid = 'latency';
    this.latency.title = t('Time of the last search (rasterise, encode, rank)');
    // Beside the progress: stop indexing (what is done is kept; "Resume" does the rest).
    this.cancel = document.createElement('button');
    this.cancel.type = 'button';
    this.cancel.className = 'icon-button cancel-indexing';
    this.cancel.dataset.testid = 'cancel-indexing';
    this.cancel.setAttribute('aria-label', t('Cancel indexing'));
    this.cancel.title = t('Cancel indexing (what is indexed is kept; Resume does the rest)');
    this.cancel.append(icon('close'));
    this.cancel.hidden = true;
    this.cancel.addEventListener('click', () => onCommand('cancelIndexing'));
    // "N skipped": opens the list of files that could not be indexed.
    this.skipped = document.createElement('button');
    this.skipped.type = 'button';
    this.skipped.className = 'link-button';
    this.skipped.dataset.testid = 'show-skipped';
    this.skipped.title = t('Show the files that could not be indexed');
    this.skipped.addEventListener('click', () => onCommand('showSkippedFiles'));
    row.append(this.text, this.cancel, this.latency);

    this.trust = document.createElement('vscode-button');
    this.trust.className = 'trust-button';
    this.trust.dataset.testid = 'trust-button';
    this.trust.setAttribute('aria-label', t('Trust this workspace to index its images'));
    this.trust.textContent = t('Trust Workspace…');
    this.trust.hidden = true;
    this.trust.addEventListener('click', () => onCommand('trustWorkspace'));

    this.fixes = document.createElement('div');
    this.fixes.className = 'fix-buttons';
    this.fixes.hidden = true;
    const fix = (label: string, testid: string, c: 'showOutput' | 'rebuildIndex', secondary: boolean) => {
      const b = document.createElement('vscode-button');
      b.textContent = label;
      b.dataset.testid = testid;
      if (secondary) b.setAttribute('secondary', '');
      b.addEventListener('click', () => onCommand(c));
      return b;
    };
    this.fixes.append(fix(t('Show Output'), 'show-output-button', 'showOutput', false), fix(t('Rebuild Index'), 'rebuild-button', 'rebuildIndex', true));
    this.resume = document.createElement('vscode-button');
    this.resume.className = 'resume-button';
    this.resume.dataset.testid = 'resume-indexing';
    this.resume.textContent = t('Resume');
    this.resume.title = t('Index only the images not indexed yet');
    this.resume.hidden = true;
    this.resume.addEventListener('click', () => onCommand('resumeIndexing'));

    this.progress = document.createElement('div');
    this.progress.className = 'progress';
    this.progress.setAttribute('role', 'progressbar');
    this.progress.setAttribute('aria-label', t('Indexing progress'));
    this.progress.setAttribute('aria-valuemin', '0');
    this.progress.setAttribute('aria-valuemax', '100');
    this.progress.hidden = true;
    this.bar = document.createElement('div');
    this.bar.className = 'progress-bar';
    this.progress.append(this.bar);

    this.el.append(row, this.trust, this.fixes, this.resume, this.progress);
  }

  setIndexStatus(s: IndexStatusMessage): void {
    const v = formatStatus(s);
    const full = v.skippedText ? `${v.text}, ${v.skippedText}` : v.text;
    if (v.skippedText) {
      this.skipped.textContent = v.skippedText;
      // Re-inserting the link would blur it if it has focus: only the text before it changes.
      if (this.skipped.parentElement !== this.text) this.text.replaceChildren(document.createTextNode(''), this.skipped);
      this.text.firstChild!.textContent = `${v.text}, `;
    } else {
      this.text.textContent = v.text;
    }
    this.text.title = s.provider ? `${full} (${s.provider})` : full;
    // Keyboard users keep their place: cancel -> Resume -> cancel as the state flips.
    const focusedControl = document.activeElement === this.cancel || document.activeElement === this.resume;
    this.cancel.hidden = s.state !== 'indexing';
    this.resume.hidden = s.state !== 'paused';
    if (focusedControl) {
      if (!this.resume.hidden) this.resume.focus();
      else if (!this.cancel.hidden) this.cancel.focus();
    }
    this.el.dataset.state = s.state;
    this.el.dataset.kind = v.kind;
    this.trust.hidden = !v.trustButton;
    this.fixes.hidden = !v.fixButtons;
    if (v.progress !== undefined) {
      this.progress.hidden = false;
      const pct = Math.round(v.progress * 100);
      this.bar.style.width = `${pct}%`;
      this.progress.setAttribute('aria-valuenow', String(pct));
    } else {
      this.progress.hidden = true;
    }
    // Announce state changes, not every progress tick.
    if (v.kind !== this.lastKind && v.kind !== 'progress') this.announce(full);
    this.lastKind = v.kind;
  }

  setLatency(ms: number | null): void {
    this.latency.textContent = ms === null ? '' : formatLatency(ms);
    this.latency.classList.remove('busy');
  }

  /** A search is running: show a small busy indicator in place of the latency. */
  setBusy(): void {
    this.latency.textContent = '…';
    this.latency.classList.add('busy');
  }
}
