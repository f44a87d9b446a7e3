/** The status line under the toolbar: index state, Trust button, progress, last search latency. */
import type { IndexStatusMessage } from '../shared/protocol';
import { formatLatency, formatStatus } from './format';

export class StatusLine {
  readonly el: HTMLElement;
  private readonly text: HTMLElement;
  private readonly trust: HTMLElement;
  private readonly latency: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly progress: HTMLElement;
  private lastKind = '';

  constructor(onTrust: () => void, private readonly announce: (s: string) => void) {
    this.el = document.createElement('div');
    this.el.className = 'status';
    this.el.dataset.testid = 'status-line';
    this.el.dataset.state = 'unknown';

    const row = document.createElement('div');
    row.className = 'status-row';
    this.text = document.createElement('span');
    this.text.className = 'status-text';
    this.text.textContent = 'Starting…';
    this.latency = document.createElement('span');
    this.latency.className = 'latency';
    this.latency.dataset.testid = 'latency';
    this.latency.title = 'Time of the last search';
    this.latency.setAttribute('aria-label', 'Last search time');
    row.append(this.text, this.latency);

    this.trust = document.createElement('vscode-button');
    this.trust.className = 'trust-button';
    this.trust.dataset.testid = 'trust-button';
    this.trust.setAttribute('aria-label', 'Trust this workspace to index its images');
    this.trust.textContent = 'Trust Workspace…';
    this.trust.hidden = true;
    this.trust.addEventListener('click', onTrust);

    this.progress = document.createElement('div');
    this.progress.className = 'progress';
    this.progress.setAttribute('role', 'progressbar');
    this.progress.setAttribute('aria-label', 'Indexing progress');
    this.progress.setAttribute('aria-valuemin', '0');
    this.progress.setAttribute('aria-valuemax', '100');
    this.progress.hidden = true;
    this.bar = document.createElement('div');
    this.bar.className = 'progress-bar';
    this.progress.append(this.bar);

    this.el.append(row, this.trust, this.progress);
  }

  setIndexStatus(s: IndexStatusMessage): void {
    const v = formatStatus(s);
    this.text.textContent = v.text;
    this.text.title = s.provider ? `${v.text} (${s.provider})` : v.text;
    this.el.dataset.state = s.state;
    this.el.dataset.kind = v.kind;
    this.trust.hidden = !v.trustButton;
    if (v.progress !== undefined) {
      this.progress.hidden = false;
      const pct = Math.round(v.progress * 100);
      this.bar.style.width = `${pct}%`;
      this.progress.setAttribute('aria-valuenow', String(pct));
    } else {
      this.progress.hidden = true;
    }
    // Announce state changes, not every progress tick.
    if (v.kind !== this.lastKind && v.kind !== 'progress') this.announce(v.text);
    this.lastKind = v.kind;
  }

  setLatency(ms: number | null): void {
    this.latency.textContent = ms === null ? '' : formatLatency(ms);
  }
}
