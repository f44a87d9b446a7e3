/** The status-bar item: index state at a glance; click opens "Show Index Status". */
import * as vscode from 'vscode';
import type { IndexStatus } from './indexManager';

const t = vscode.l10n.t;

export function createStatusBar(): { item: vscode.StatusBarItem; update(s: IndexStatus): void } {
  const item = vscode.window.createStatusBarItem('sketchSearch.status', vscode.StatusBarAlignment.Left, 10);
  item.name = t('Sketch Search');
  item.command = 'sketchSearch.showIndexStatus';
  const update = (s: IndexStatus) => {
    switch (s.state) {
      case 'indexing':
        item.text = s.total ? `$(sync~spin) ${t('Sketch Search {0}/{1}', s.done, s.total)}` : `$(sync~spin) ${t('Sketch Search: scanning')}`;
        item.tooltip = s.total
          ? t('Sketch Search is indexing images: {0} of {1} done. Click for details; "Sketch Search: Cancel Indexing" stops it.', s.done, s.total)
          : t('Sketch Search is indexing images. Click for details; "Sketch Search: Cancel Indexing" stops it.');
        break;
      case 'ready':
        item.text = `$(check) ${t('Sketch Search: {0}', s.indexed)}`;
        item.tooltip = s.provider ? t('{0} images indexed ({1}). Click for details.', s.indexed, s.provider) : t('{0} images indexed. Click for details.', s.indexed);
        break;
      case 'error':
        item.text = `$(error) ${t('Sketch Search')}`;
        item.tooltip = t('{0} Click for details.', s.message ?? t('Indexing failed.'));
        break;
      case 'restricted':
        item.text = `$(shield) ${t('Sketch Search')}`;
        item.tooltip = t('Restricted Mode: images are indexed once you trust this workspace.');
        break;
      case 'paused':
        item.text = `$(debug-pause) ${t('Sketch Search: paused')}`;
        item.tooltip = s.message ?? t('Indexing is paused: {0} images indexed. Click to resume ("Sketch Search: Resume Indexing" indexes only what is missing).', s.indexed);
        break;
      default:
        item.text = `$(search) ${t('Sketch Search')}`;
        item.tooltip = s.message ?? t('Sketch Search: click for the index status.');
    }
    item.accessibilityInformation = { label: `${item.text.replace(/\$\([^)]*\)\s*/g, '')}. ${item.tooltip ?? ''}`, role: 'button' };
    item.backgroundColor = s.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };
  return { item, update };
}
