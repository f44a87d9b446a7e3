/** Latency-vs-index-size plot: an SVG written here, rendered to PNG with sharp (no plotting library). */
import sharp from 'sharp';

export interface Series { name: string; color: string; points: [number, number][] }

export function latencySvg(series: Series[], title: string, target?: { x: number; y: number; label: string }): string {
  const W = 820, H = 460, L = 70, R = 250, T = 40, B = 60;
  const xs = series.flatMap((s) => s.points.map((p) => p[0])), ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const x0 = Math.log10(Math.min(...xs)), x1 = Math.log10(Math.max(...xs));
  const yMin = Math.max(0.1, Math.min(...ys, target?.y ?? Infinity) / 2), yMax = Math.max(...ys, target?.y ?? 0) * 1.5;
  const y0 = Math.log10(yMin), y1 = Math.log10(yMax);
  const px = (x: number) => L + ((Math.log10(x) - x0) / Math.max(1e-9, x1 - x0)) * (W - L - R);
  const py = (y: number) => H - B - ((Math.log10(y) - y0) / Math.max(1e-9, y1 - y0)) * (H - T - B);
  const parts: string[] = [];
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${W / 2 - R / 2}" y="24" font-family="sans-serif" font-size="16" text-anchor="middle">${esc(title)}</text>`);
  for (let e = Math.floor(y0); e <= Math.ceil(y1); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v < yMin || v > yMax) continue;
      parts.push(`<line x1="${L}" x2="${W - R}" y1="${py(v)}" y2="${py(v)}" stroke="#ddd"/>`);
      parts.push(`<text x="${L - 6}" y="${py(v) + 4}" font-family="sans-serif" font-size="11" text-anchor="end">${v >= 1 ? v : v.toFixed(1)}</text>`);
    }
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    parts.push(`<line x1="${px(x)}" x2="${px(x)}" y1="${T}" y2="${H - B}" stroke="#eee"/>`);
    parts.push(`<text x="${px(x)}" y="${H - B + 16}" font-family="sans-serif" font-size="11" text-anchor="middle">${x >= 1e6 ? x / 1e6 + 'M' : x >= 1e3 ? x / 1e3 + 'k' : x}</text>`);
  }
  parts.push(`<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="black"/><line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="black"/>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 18}" font-family="sans-serif" font-size="13" text-anchor="middle">indexed images (log scale)</text>`);
  parts.push(`<text transform="translate(18 ${(T + H - B) / 2}) rotate(-90)" font-family="sans-serif" font-size="13" text-anchor="middle">milliseconds (log scale)</text>`);
  if (target) {
    parts.push(`<circle cx="${px(target.x)}" cy="${py(target.y)}" r="6" fill="none" stroke="#d62728" stroke-width="2"/>`);
    parts.push(`<text x="${px(target.x) + 9}" y="${py(target.y) - 8}" font-family="sans-serif" font-size="11" fill="#d62728">${esc(target.label)}</text>`);
  }
  series.forEach((s, i) => {
    const d = s.points.map((p, k) => `${k ? 'L' : 'M'}${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2.5"/>`);
    for (const p of s.points) parts.push(`<circle cx="${px(p[0])}" cy="${py(p[1])}" r="3.5" fill="${s.color}"/>`);
    const ly = T + 20 + i * 22;
    parts.push(`<line x1="${W - R + 15}" x2="${W - R + 40}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2.5"/>`);
    parts.push(`<text x="${W - R + 46}" y="${ly + 4}" font-family="sans-serif" font-size="12">${esc(s.name)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>`;
}

export async function writePng(svg: string, file: string): Promise<void> {
  await sharp(Buffer.from(svg), { density: 144 }).png().toFile(file);
}

function esc(s: string): string { return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'); }
