/**
 * What the screen reader hears after a result action: the host's answer (ResultActionResponse),
 * never a guess made before the action ran (nothing is inserted when no text editor is open).
 */
import type { ActionOutcome, ResultAction } from '../shared/protocol';
import { t } from './l10n';

const INSERTS: ReadonlySet<ResultAction> = new Set<ResultAction>(['insertReference', 'insertMarkdownLink', 'insertHtmlImg', 'insertImportPath']);

/** The announcement for an answered action, or null when there is nothing worth saying (an editor opening speaks for itself). */
export function actionAnnouncement(action: ResultAction, name: string, outcome: ActionOutcome, detail?: string): string | null {
  switch (outcome) {
    case 'inserted':
      return detail ? t('Inserted a reference to {0} into {1}', name, detail) : t('Inserted a reference to {0}', name);
    case 'noEditor':
      return t('Nothing inserted: no text editor is open. Open one and try again.');
    case 'notInserted':
      return t('Nothing inserted: the editor did not accept the text.');
    case 'copied':
      return action === 'copyRelativePath' ? t('Copied the relative path of {0}', name) : t('Copied the path of {0}', name);
    case 'gone':
      return INSERTS.has(action) ? t('Nothing inserted: {0} is no longer in the results.', name) : t('{0} is no longer in the results.', name);
    case 'failed':
      return INSERTS.has(action) ? t('Nothing inserted: {0}', detail ?? '') : t('Could not do that: {0}', detail ?? '');
    case 'opened':
    case 'done':
      return null;
  }
}
