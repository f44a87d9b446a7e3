/**
 * The query image shown in place of the pad while the results are for an image (Find Similar,
 * Search with Image File, a dropped or pasted image), with a way back to the drawing.
 */
import { icon } from './icons';
import { t } from './l10n';

export class QueryImageView {
  readonly el: HTMLElement;
  private readonly img: HTMLImageElement;
  private readonly placeholder: HTMLElement;
  private readonly caption: HTMLElement;
  readonly backButton: HTMLElement;

  constructor(onBack: () => void) {
    this.el = document.createElement('div');
    this.el.className = 'query-image';
    this.el.dataset.testid = 'query-image';
    this.el.setAttribute('role', 'group');
    this.el.hidden = true;

    const frame = document.createElement('div');
    frame.className = 'query-image-frame';
    this.img = document.createElement('img');
    this.img.className = 'tile';
    this.img.draggable = false;
    this.img.dataset.testid = 'query-image-img';
    this.img.addEventListener('error', () => { this.img.hidden = true; this.placeholder.hidden = false; });
    this.placeholder = document.createElement('div');
    this.placeholder.className = 'query-image-placeholder';
    this.placeholder.append(icon('file-media'));
    frame.append(this.img, this.placeholder);

    this.caption = document.createElement('div');
    this.caption.className = 'query-image-caption';

    this.backButton = document.createElement('vscode-button');
    this.backButton.className = 'back-to-drawing';
    this.backButton.dataset.testid = 'back-to-drawing';
    this.backButton.setAttribute('secondary', '');
    this.backButton.textContent = t('Back to Drawing');
    this.backButton.title = t('Show the sketch pad again and search with the drawing');
    this.backButton.addEventListener('click', onBack);

    this.el.append(frame, this.caption, this.backButton);
  }

  /** Show `label`'s image (undefined: a placeholder, e.g. the thumbnail could not be made). */
  show(label: string, uri: string | undefined): void {
    this.el.setAttribute('aria-label', label);
    this.caption.textContent = label;
    this.caption.title = label;
    this.img.alt = label;
    if (uri) {
      if (this.img.getAttribute('src') !== uri) this.img.src = uri;
      this.img.hidden = false;
      this.placeholder.hidden = true;
    } else {
      this.img.removeAttribute('src');
      this.img.hidden = true;
      this.placeholder.hidden = false;
    }
    this.el.hidden = false;
  }

  hide(): void {
    this.el.hidden = true;
  }

  get visible(): boolean { return !this.el.hidden; }
}
