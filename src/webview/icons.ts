/**
 * The few codicons the webview uses, as inline SVG path data, so the toolbar needs no icon font
 * (the host does not have to ship and link codicon.css/ttf).
 * From @vscode/codicons 0.0.45 (dist/codicon.svg, src/icons/ellipsis.svg), (c) Microsoft,
 * licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). 16x16 viewBox, currentColor.
 */

export const ICONS = {
  'eraser': ['M14.5 6c0-.4-.156-.777-.439-1.061l-2.999-3c-.566-.567-1.558-.567-2.122 0l-7.501 7.5A1.49 1.49 0 0 0 1 10.5c0 .401.156.777.439 1.061l2 2c.283.283.66.439 1.061.439h7a.5.5 0 0 0 0-1H8.121l5.939-5.939A1.49 1.49 0 0 0 14.499 6h.001ZM4.146 12.854l-2-2a.5.5 0 0 1 0-.708L4.293 8 8 11.707 6.707 13H4.5a.5.5 0 0 1-.354-.146Zm9.208-6.5L8.708 11 5.001 7.293l4.647-4.647a.5.5 0 0 1 .707 0l3 3a.5.5 0 0 1-.001.708Z'],
  'discard': ['M3.001 2.5a.5.5 0 1 1 1 0v3.843l3.171-3.171a4 4 0 0 1 5.657 5.656l-5.025 5.026a.5.5 0 0 1-.707-.708l5.025-5.025A3 3 0 0 0 7.879 3.88L4.758 7H8.5a.5.5 0 0 1 0 1h-4.9a.6.6 0 0 1-.6-.6V2.5Z'],
  'redo': ['M13 2.5a.5.5 0 1 0-1 0v3.843L8.83 3.172a4 4 0 0 0-5.657 5.656l5.025 5.026a.5.5 0 0 0 .707-.708L3.88 8.121A3 3 0 1 1 8.122 3.88L11.244 7H7.5a.5.5 0 0 0 0 1h4.9a.6.6 0 0 0 .6-.6V2.5Z'],
  'clear-all': ['M13.5 12a.5.5 0 0 1 0 1h-11a.5.5 0 0 1 0-1h11ZM13.5 9a.5.5 0 0 1 0 1h-11a.5.5 0 0 1 0-1h11ZM13.5 6a.5.5 0 0 1 0 1h-6a.5.5 0 0 1 0-1h6ZM5.5.999a.5.5 0 0 1 .354.855L3.707 4l2.147 2.146a.502.502 0 0 1-.708.708L3 4.707.854 6.854a.5.5 0 0 1-.708-.708L2.293 4 .146 1.854a.5.5 0 0 1 .708-.708L3 3.293l2.146-2.147A.502.502 0 0 1 5.5.999ZM13.5 3a.5.5 0 0 1 0 1h-6a.5.5 0 0 1 0-1h6Z'],
  'file-media': ['M6 1a2 2 0 0 0-2 2v3h1V3a1 1 0 0 1 1-1h3v2.5A1.5 1.5 0 0 0 10.5 6H13v7a1 1 0 0 1-1 1h-1.035c-.05.353-.154.69-.302 1H12a2 2 0 0 0 2-2V5.414a1.5 1.5 0 0 0-.44-1.06l-2.914-2.915A1.5 1.5 0 0 0 9.586 1H6Zm6.793 4H10.5a.5.5 0 0 1-.5-.5V2.207L12.793 5ZM1 9.5A2.5 2.5 0 0 1 3.5 7h4A2.5 2.5 0 0 1 10 9.5v4c0 .51-.152.983-.414 1.379L6.56 11.854a1.5 1.5 0 0 0-2.122 0l-3.025 3.025A2.488 2.488 0 0 1 1 13.5v-4Zm7 .25a.75.75 0 1 0-1.5 0 .75.75 0 0 0 1.5 0Zm-5.879 5.836c.396.262.87.414 1.379.414h4c.51 0 .983-.152 1.379-.414L5.854 12.56a.5.5 0 0 0-.708 0l-3.025 3.025Z'],
  'ellipsis': ['M5 8C5 8.55229 4.55228 9 4 9C3.44772 9 3 8.55229 3 8C3 7.44772 3.44772 7 4 7C4.55228 7 5 7.44772 5 8ZM9 8C9 8.55229 8.55229 9 8 9C7.44772 9 7 8.55229 7 8C7 7.44772 7.44772 7 8 7C8.55229 7 9 7.44772 9 8ZM12 9C12.5523 9 13 8.55229 13 8C13 7.44772 12.5523 7 12 7C11.4477 7 11 7.44772 11 8C11 8.55229 11.4477 9 12 9Z'],
} as const;

export type IconName = keyof typeof ICONS;

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A decorative (aria-hidden) 16x16 SVG icon element. */
export function icon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('fill', 'currentColor');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.classList.add('icon');
  for (const d of ICONS[name]) {
    const p = document.createElementNS(SVG_NS, 'path');
    p.setAttribute('d', d);
    svg.append(p);
  }
  return svg;
}
