/** Where a popup menu goes so that all of it stays inside the view (pure: no DOM). */

export interface MenuPlacement {
  x: number;
  y: number;
  /** Set when the menu is wider than the view: it is shrunk to this width (labels ellipsize, never wrap). */
  width?: number;
  /** Set when the menu is taller than the view: it scrolls inside this height. */
  maxHeight?: number;
}

/**
 * Place a menu of size `menu` opened at `at` (the pointer, or a point of the opener) in a view of
 * size `view`, `margin` px from every edge: to the right of and below the point when it fits, else
 * shifted left, else above the point, else pinned to the top and scrolling.
 */
export function placeMenu(
  at: { x: number; y: number },
  menu: { width: number; height: number },
  view: { width: number; height: number },
  margin = 4,
): MenuPlacement {
  const out: MenuPlacement = { x: 0, y: 0 };
  const roomW = Math.max(0, view.width - 2 * margin);
  const roomH = Math.max(0, view.height - 2 * margin);
  let w = menu.width;
  if (w > roomW) { w = roomW; out.width = roomW; }
  out.x = Math.max(margin, Math.min(at.x, view.width - margin - w));
  let h = menu.height;
  if (h > roomH) { h = roomH; out.maxHeight = roomH; }
  const y = Math.max(margin, Math.min(at.y, view.height - margin)); // a point outside the view counts as its edge
  if (y + h <= view.height - margin) out.y = y;
  else if (y - h >= margin) out.y = y - h;
  else out.y = Math.max(margin, view.height - margin - h);
  return out;
}
