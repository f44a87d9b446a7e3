/**
 * Decode a list of image files with the extension's own decoder (src/core/decode.ts),
 * so training sees exactly the RGB the extension and benchmark see.
 *
 * Usage: npx tsx training/prep_images.ts LIST OUT
 *   LIST: text file, one image path per line (PNG/JPEG/SVG/...; relative paths resolve from LIST's folder).
 *   OUT:  raw uint8 file [N, 128, 128, 3] (read in Python: np.fromfile(OUT, np.uint8).reshape(-1, 128, 128, 3)),
 *         plus OUT.json: {"n", "size", "failed": [indices]} (failed entries are left white).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { imageToRgb } from '../src/core/decode';
import { INPUT_SIZE } from '../src/core/preprocess';

async function main(): Promise<void> {
  const [listFile, outFile] = process.argv.slice(2);
  if (!listFile || !outFile) {
    console.error('usage: npx tsx training/prep_images.ts LIST OUT');
    process.exit(2);
  }
  const base = path.dirname(path.resolve(listFile));
  const files = fs.readFileSync(listFile, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean)
    .map((f) => path.resolve(base, f));
  const S = INPUT_SIZE;
  const per = S * S * 3;
  const out = Buffer.alloc(files.length * per, 255);
  const failed: number[] = [];
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= files.length) return;
      try {
        const rgb = await imageToRgb(files[i]);
        if (rgb.length !== per) throw new Error(`got ${rgb.length} bytes`);
        rgb.copy(out, i * per);
      } catch (e) {
        failed.push(i);
        console.error(`failed ${files[i]}: ${(e as Error).message}`);
      }
      done++;
      if (done % 2000 === 0) console.error(`${done}/${files.length}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  fs.writeFileSync(outFile, out);
  failed.sort((a, b) => a - b);
  fs.writeFileSync(`${outFile}.json`, JSON.stringify({ n: files.length, size: S, failed }));
  console.error(`wrote ${files.length} images (${failed.length} failed) to ${outFile}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
