/** The status-bar item: index state at a glance; click opens "Show Index Status". */
import * as vscode from 'vscode';
import type { IndexStatus } from './indexManager';

export function createStatusBar(): { item: vscode.StatusBarItem; update(s: IndexStatus): void } {
  const item = vscode.window.createStatusBarItem('sketchSearch.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Sketch Search';
  item.command = 'sketchSearch.showIndexStatus';
  const update = (s: IndexStatus) => {
    switch (s.state) {
      case 'indexing':
        item.text = s.total ? `$(sync~spin) Sketch Search ${s.done}/${s.total}` : '$(sync~spin) Sketch Search: scanning';
        item.tooltip = 'Sketch Search is indexing images. Click for details; "Sketch Search: Cancel Indexing" stops it.';
        break;
      case 'ready':
        item.text = `$(check) Sketch Search: ${s.indexed}`;
        item.tooltip = `${s.indexed} images indexed${s.provider ? ` (${s.provider})` : ''}`;
        break;
      case 'error':
        item.text = '$(error) Sketch Search';
        item.tooltip = s.message;
        break;
      case 'restricted':
        item.text = '$(shield) Sketch Search';
        item.tooltip = 'Restricted Mode: images are indexed once you trust this workspace.';
        break;
      case 'paused':
        item.text = '$(debug-pause) Sketch Search';
        item.tooltip = s.message;
        break;
      default:
        item.text = '$(search) Sketch Search';
        item.tooltip = s.message;
    }
    item.show();
  };
  return { item, update };
}
