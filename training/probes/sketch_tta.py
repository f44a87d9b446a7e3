"""Probe (not part of the shipped pipeline): more test-time views of the query sketch than its mirror
image. Exports variants of a trained student whose sketch encoder averages the embeddings of several
views (mirror, thicker ink, smaller drawing); the image encoder is unchanged, so the index is too.
Its first rounds found the thick-ink views that the shipped sketch encoder now has
(`Embedder(views=..., flip=...)`, `export.py --sketch-views`; models/MODEL_CARD.md).

  cd training && /usr/bin/python3 -m probes.sketch_tta SRC OUT_PREFIX
  then: npx tsx bench/run.ts --models OUT_PREFIX-dilate,OUT_PREFIX-shrink --skip-perf --no-docs --out X.json
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
from sketchsearch.export import export_onnx, load_student, write_model_json  # noqa: E402
from sketchsearch.model import _l2n, thicker_ink  # noqa: E402


def thicker(x, k=3):
    return thicker_ink(x, k)


def smaller(x, s=108):
    y = F.interpolate(x, size=(s, s), mode='bilinear', align_corners=False)
    p = (x.shape[-1] - s) // 2
    return F.pad(y, (p, p, p, p), value=1.0)


class Views(nn.Module):
    def __init__(self, emb, views, flip=True):
        super().__init__()
        self.emb, self.views, self.flip = emb, views, flip

    def forward(self, x):
        xs = [v(x) for v in self.views]
        if self.flip:
            xs += [torch.flip(v, dims=[3]) for v in xs]
        z = self.emb(torch.cat(xs, 0))  # one batch for all views
        return _l2n(z.view(len(xs), -1, z.shape[1]).sum(0))


VARIANTS = {
    'dilate': [lambda x: x, thicker], 'shrink': [lambda x: x, smaller],
    'd3only': [thicker], 'd05': [lambda x: x, lambda x: thicker(x, 5)], 'd5only': [lambda x: thicker(x, 5)], 'd035': [lambda x: x, thicker, lambda x: thicker(x, 5)],
}


def main(src, prefix, names):
    sk, img = load_student(os.path.join(src, 'student.pt'))
    sk.flip = False
    for name in names:
        flip = not name.endswith('-noflip')
        views = VARIANTS[name.replace('-noflip', '')]
        out = f'{prefix}-{name}'
        os.makedirs(out, exist_ok=True)
        export_onnx(Views(sk, views, flip).eval(), os.path.join(out, 'sketch_encoder.onnx'))
        export_onnx(img, os.path.join(out, 'image_encoder.onnx'))
        print(write_model_json(out, f'tta-{name}', 256))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], sys.argv[3:] or ['dilate', 'shrink'])
