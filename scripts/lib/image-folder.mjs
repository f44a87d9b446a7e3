// Builds folders of real images (icons, emoji, clip art) from the corpora that
// scripts/fetch-corpora.sh installs by package name:
//   bench/corpora/node_modules/@iconify-json/*   (Iconify JSON icon sets)
//   /usr/share/openclipart/svg                   (Debian openclipart-svg)
//   /usr/share/tuxpaint/stamps                   (Debian tuxpaint-stamps-default)
// Used by scripts/demo.sh (a few hundred files laid out like a real repo's assets) and by the
// E2E tests (a small labelled set). PNGs are rendered with sharp (a production dependency).
//
// CLI: node scripts/lib/image-folder.mjs demo DEST      -> demo workspace
//      node scripts/lib/image-folder.mjs e2e DEST       -> small labelled set
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(REPO, 'package.json'));
const ICONIFY = path.join(REPO, 'bench/corpora/node_modules/@iconify-json');
const OPENCLIPART = '/usr/share/openclipart/svg';
const TUXPAINT = '/usr/share/tuxpaint/stamps';

const sets = new Map();
function iconSet(prefix) {
  let s = sets.get(prefix);
  if (!s) {
    const file = path.join(ICONIFY, prefix, 'icons.json');
    if (!fs.existsSync(file)) throw new Error(`icon set ${prefix} missing (${file}); run: bash scripts/fetch-corpora.sh`);
    s = JSON.parse(fs.readFileSync(file, 'utf8'));
    sets.set(prefix, s);
  }
  return s;
}

export function hasIcon(prefix, name) {
  const s = iconSet(prefix);
  return Boolean(s.icons[name] || (s.aliases && s.aliases[name]));
}

export function iconNames(prefix) {
  return Object.keys(iconSet(prefix).icons).sort();
}

/** Iconify icon -> standalone SVG text (aliases resolved; flips/rotations of aliases applied). */
export function iconSvg(prefix, name, size) {
  const s = iconSet(prefix);
  let icon = s.icons[name];
  let hFlip = false, vFlip = false, rotate = 0;
  let aliasName = name;
  for (let i = 0; !icon && i < 5; i++) {
    const a = s.aliases && s.aliases[aliasName];
    if (!a) break;
    if (a.hFlip) hFlip = !hFlip;
    if (a.vFlip) vFlip = !vFlip;
    rotate += a.rotate || 0;
    aliasName = a.parent;
    icon = s.icons[aliasName];
  }
  if (!icon) throw new Error(`no icon ${prefix}:${name}`);
  const left = icon.left ?? s.left ?? 0;
  const top = icon.top ?? s.top ?? 0;
  const w = icon.width ?? s.width ?? 16;
  const h = icon.height ?? s.height ?? 16;
  let body = icon.body;
  const tr = [];
  if (hFlip) tr.push(`translate(${w + 2 * left} 0) scale(-1 1)`);
  if (vFlip) tr.push(`translate(0 ${h + 2 * top}) scale(1 -1)`);
  if (rotate % 4) tr.push(`rotate(${(rotate % 4) * 90} ${left + w / 2} ${top + h / 2})`);
  if (tr.length) body = `<g transform="${tr.join(' ')}">${body}</g>`;
  const dw = size ?? w, dh = size ? Math.round((size * h) / w) : h;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${left} ${top} ${w} ${h}" width="${dw}" height="${dh}">${body}</svg>\n`;
}

let sharpMod;
function sharp() {
  if (!sharpMod) sharpMod = require('sharp');
  return sharpMod;
}

/** Writes prefix:name to file (.svg as text, .png/.webp/.jpg rendered at `size` px). */
export async function writeIcon(file, prefix, name, size = 256) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const ext = path.extname(file).toLowerCase();
  if (ext === '.svg') {
    fs.writeFileSync(file, iconSvg(prefix, name));
    return;
  }
  const svg = Buffer.from(iconSvg(prefix, name, size));
  let img = sharp()(svg, { density: 72 }).resize(size, size, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } });
  if (ext === '.jpg' || ext === '.jpeg') img = img.flatten({ background: '#ffffff' }).jpeg({ quality: 88 });
  else if (ext === '.webp') img = img.webp();
  else img = img.png();
  await img.toFile(file);
}

function listFiles(dir, exts, limit = Infinity) {
  const out = [];
  const walk = (d) => {
    let entries;
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (out.length >= limit) return;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (exts.includes(path.extname(e.name).toLowerCase())) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Deterministic pick of n items spread over the list. */
function spread(list, n) {
  if (list.length <= n) return list.slice();
  const out = [];
  for (let i = 0; i < n; i++) out.push(list[Math.floor((i * list.length) / n)]);
  return out;
}

// Everyday objects and animals with the same name in twemoji, noto and fluent-emoji-flat.
export const EVERYDAY = [
  'airplane', 'anchor', 'automobile', 'bell', 'bicycle', 'cat', 'cloud', 'crescent-moon', 'crown',
  'deciduous-tree', 'dog', 'evergreen-tree', 'fish', 'ghost', 'guitar', 'hammer', 'house', 'key',
  'light-bulb', 'mushroom', 'pencil', 'red-apple', 'rocket', 'scissors', 'snowman', 'star', 'sun',
  'umbrella', 'banana', 'butterfly', 'cactus', 'camera', 'candle', 'carrot', 'cherries', 'chicken',
  'cow', 'crab', 'dolphin', 'door', 'elephant', 'envelope', 'eyeglasses', 'frog', 'gift', 'glasses',
  'grapes', 'hamburger', 'headphone', 'horse', 'hourglass', 'ice-cream', 'lemon', 'lion', 'lock',
  'magnet', 'megaphone', 'mobile-phone', 'mouse', 'octopus', 'owl', 'penguin', 'pig', 'pizza',
  'rabbit', 'rainbow', 'ring', 'rose', 'sailboat', 'shark', 'snail', 'snake', 'sunflower', 'teddy-bear',
  'tent', 'tomato', 'trophy', 'turtle', 'watch', 'watermelon', 'whale', 'wrench', 'bus', 'tractor',
  'locomotive', 'helicopter', 'balloon', 'basketball', 'soccer-ball', 'alarm-clock', 't-shirt',
  'crab', 'spider', 'bird', 'duck', 'giraffe', 'zebra', 'cookie', 'doughnut', 'teapot', 'spoon',
];

export const GAME_ICONS = [
  'anchor', 'crown', 'ghost', 'guitar', 'house', 'key', 'light-bulb', 'mushroom', 'pencil', 'rocket',
  'scissors', 'snowman', 'sun', 'umbrella', 'cat', 'airplane', 'sword', 'shield', 'castle', 'cauldron',
  'dragon-head', 'wolf-head', 'heart-bottle', 'treasure-map', 'bow-arrow', 'sailboat', 'spider-web',
  'trophy', 'hourglass', 'lighthouse', 'compass', 'tree-face', 'pine-tree', 'oak', 'owl', 'fish',
  'fox-head', 'horse-head', 'feather', 'candle-light', 'potion-ball', 'skull-crossed-bones',
];

export const UI_ICONS = [
  'home', 'search', 'settings', 'user', 'mail', 'bell', 'calendar', 'camera', 'heart', 'star',
  'trash', 'download', 'upload', 'cloud', 'lock', 'key', 'map-pin', 'phone', 'photo', 'music',
  'shopping-cart', 'bookmark', 'clock', 'edit', 'eye', 'file', 'folder', 'link', 'share', 'sun',
  'moon', 'bolt', 'flag', 'gift', 'globe', 'headphones', 'pencil', 'bulb', 'car', 'bike',
];

/** ~400 real images laid out like the assets of a web/app project. Returns the file count. */
export async function makeDemoFolder(dest) {
  fs.mkdirSync(dest, { recursive: true });
  let n = 0;
  const put = async (rel, prefix, name, size) => {
    if (!hasIcon(prefix, name)) return;
    const file = path.join(dest, rel);
    if (fs.existsSync(file)) { n++; return; }
    await writeIcon(file, prefix, name, size);
    n++;
  };
  for (const name of EVERYDAY) {
    await put(`assets/emoji/${name}.svg`, 'twemoji', name);
    await put(`public/images/${name}.png`, 'fluent-emoji-flat', name, 256);
    await put(`docs/img/emoji/${name}.webp`, 'noto', name, 128);
  }
  for (const name of GAME_ICONS) await put(`assets/game/${name}.svg`, 'game-icons', name);
  for (const name of spread(iconNames('game-icons'), 40)) await put(`assets/game/more/${name}.png`, 'game-icons', name, 128);
  for (const name of UI_ICONS) await put(`src/components/icons/${name}.svg`, 'tabler', name);
  for (const name of spread(iconNames('openmoji'), 30)) await put(`assets/openmoji/${name}.svg`, 'openmoji', name);
  // Clip art (Debian openclipart-svg), a few per category.
  if (fs.existsSync(OPENCLIPART)) {
    for (const cat of fs.readdirSync(OPENCLIPART).sort()) {
      const files = spread(listFiles(path.join(OPENCLIPART, cat), ['.svg'], 400).filter((f) => fs.statSync(f).size < 400_000), 4);
      for (const f of files) {
        const out = path.join(dest, 'docs/clipart', cat, path.basename(f).toLowerCase().replace(/[^a-z0-9._-]+/g, '-'));
        fs.mkdirSync(path.dirname(out), { recursive: true });
        if (!fs.existsSync(out)) fs.copyFileSync(f, out);
        n++;
      }
    }
  }
  // Tux Paint stamps (PNG), one folder per category.
  if (fs.existsSync(TUXPAINT)) {
    for (const cat of ['animals', 'household', 'food', 'vehicles', 'plants', 'space'].filter((c) => fs.existsSync(path.join(TUXPAINT, c)))) {
      for (const f of spread(listFiles(path.join(TUXPAINT, cat), ['.png']), 8)) {
        const out = path.join(dest, 'assets/stamps', cat, path.basename(f));
        fs.mkdirSync(path.dirname(out), { recursive: true });
        if (!fs.existsSync(out)) fs.copyFileSync(f, out);
        n++;
      }
    }
  }
  fs.writeFileSync(path.join(dest, 'README.md'),
    '# Sketch Search demo workspace\n\nReal icons, emoji and clip art (Twemoji, Fluent Emoji, Noto Emoji, OpenMoji, game-icons.net, Tabler, Openclipart, Tux Paint stamps; see their licences in bench/corpora/LICENSES.md).\n\nOpen the Sketch Search view in the activity bar and draw something: a house, a cat, a star, a key...\n');
  return n;
}

/**
 * The small labelled set for E2E tests: distinct everyday objects, mixed formats.
 * Each entry: [relative path, iconify prefix, icon name].
 */
export const E2E_SET = [
  ['images/cat.png', 'twemoji', 'cat'],
  ['images/car.svg', 'twemoji', 'automobile'],
  ['images/house.png', 'fluent-emoji-flat', 'house'],
  ['images/tree.svg', 'twemoji', 'deciduous-tree'],
  ['images/star.png', 'twemoji', 'star'],
  ['images/sun.svg', 'twemoji', 'sun'],
  ['images/fish.png', 'fluent-emoji-flat', 'fish'],
  ['images/umbrella.svg', 'twemoji', 'umbrella'],
  ['images/key.png', 'twemoji', 'key'],
  ['icons/anchor.svg', 'game-icons', 'anchor'],
  ['icons/rocket.svg', 'twemoji', 'rocket'],
  ['icons/bell.png', 'noto', 'bell'],
];

export async function makeE2eFolder(dest, set = E2E_SET) {
  for (const [rel, prefix, name] of set) await writeIcon(path.join(dest, rel), prefix, name, 256);
  return set.length;
}

async function main() {
  const [mode, dest] = process.argv.slice(2);
  if (!dest || !['demo', 'e2e'].includes(mode)) {
    console.error('usage: node scripts/lib/image-folder.mjs demo|e2e DEST');
    process.exit(2);
  }
  const t0 = Date.now();
  const n = mode === 'demo' ? await makeDemoFolder(dest) : await makeE2eFolder(dest);
  console.log(`${n} images in ${dest} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => { console.error(e); process.exit(1); });
}
