/**
 * A small accessible context menu (role="menu"/"menuitem", arrow keys, Home/End, Enter/Space,
 * Escape/Tab to close, focus restored to the opener). Themed with VS Code's menu colours.
 */
import { placeMenu } from './menuPlacement';

export type MenuEntry = { id: string; label: string; shortcut?: string } | { separator: true };

let openMenu: { el: HTMLElement; close: (restore: boolean) => void } | null = null;

export function closeMenu(restoreFocus = false): void {
  openMenu?.close(restoreFocus);
}

export function isMenuOpen(): boolean { return openMenu !== null; }

export function showMenu(
  entries: MenuEntry[],
  at: { x: number; y: number },
  opener: HTMLElement,
  ariaLabel: string,
  onSelect: (id: string) => void,
): void {
  closeMenu(false);
  const menu = document.createElement('div');
  menu.className = 'menu';
  menu.setAttribute('role', 'menu');
  menu.setAttribute('aria-label', ariaLabel);
  menu.dataset.testid = 'result-menu';
  const items: HTMLElement[] = [];
  for (const e of entries) {
    if ('separator' in e) {
      const sep = document.createElement('div');
      sep.className = 'menu-separator';
      sep.setAttribute('role', 'separator');
      menu.append(sep);
      continue;
    }
    const item = document.createElement('div');
    item.className = 'menu-item';
    item.setAttribute('role', 'menuitem');
    item.tabIndex = -1;
    const label = document.createElement('span');
    label.className = 'menu-label';
    label.textContent = e.label;
    label.title = e.label; // the label ellipsizes (never wraps) in a very narrow view
    item.append(label);
    if (e.shortcut) {
      const isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
      const k = document.createElement('span');
      k.className = 'menu-shortcut';
      k.textContent = isMac ? e.shortcut.replace('Ctrl+', '⌘').replace('Alt+', '⌥') : e.shortcut;
      k.setAttribute('aria-hidden', 'true');
      item.append(k);
      item.setAttribute('aria-keyshortcuts', isMac ? e.shortcut.replace('Ctrl', 'Meta') : e.shortcut.replace('Ctrl', 'Control'));
    }
    item.dataset.action = e.id;
    item.addEventListener('click', (ev) => {
      ev.stopPropagation();
      close(true);
      onSelect(e.id);
    });
    item.addEventListener('pointermove', () => { if (document.activeElement !== item) item.focus({ preventScroll: true }); });
    items.push(item);
    menu.append(item);
  }

  const focusAt = (i: number) => items[(i + items.length) % items.length]?.focus();
  menu.addEventListener('keydown', (ev) => {
    const i = items.indexOf(document.activeElement as HTMLElement);
    switch (ev.key) {
      case 'ArrowDown': focusAt(i + 1); break;
      case 'ArrowUp': focusAt(i < 0 ? -1 : i - 1); break;
      case 'Home': focusAt(0); break;
      case 'End': focusAt(items.length - 1); break;
      case 'Enter':
      case ' ':
        if (i >= 0) items[i].click();
        break;
      case 'Escape': close(true); break;
      case 'Tab': close(true); break;
      default: return;
    }
    ev.preventDefault();
    ev.stopPropagation();
  });

  const onOutside = (ev: Event) => {
    if (!menu.contains(ev.target as Node)) close(false);
  };
  const onBlurWindow = () => close(false);
  function close(restore: boolean) {
    if (openMenu?.el !== menu) return;
    openMenu = null;
    document.removeEventListener('pointerdown', onOutside, true);
    window.removeEventListener('blur', onBlurWindow);
    window.removeEventListener('resize', onBlurWindow);
    menu.remove();
    opener.removeAttribute('aria-expanded');
    if (restore && opener.isConnected) opener.focus({ preventScroll: true });
  }

  document.body.append(menu);
  opener.setAttribute('aria-expanded', 'true');
  // All of it inside the view: shifted, flipped above, shrunk (labels ellipsize) or scrolling.
  const r = menu.getBoundingClientRect();
  const root = document.documentElement;
  const p = placeMenu(at, { width: r.width, height: r.height }, { width: root.clientWidth || window.innerWidth, height: root.clientHeight || window.innerHeight });
  if (p.width !== undefined) menu.style.width = `${p.width}px`;
  if (p.maxHeight !== undefined) menu.style.maxHeight = `${p.maxHeight}px`;
  menu.style.left = `${p.x}px`;
  menu.style.top = `${p.y}px`;
  openMenu = { el: menu, close };
  document.addEventListener('pointerdown', onOutside, true);
  window.addEventListener('blur', onBlurWindow);
  window.addEventListener('resize', onBlurWindow);
  focusAt(0);
}
