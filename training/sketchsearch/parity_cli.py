"""CLI used by test/integration/model-parity.test.ts.

Usage: /usr/bin/python3 -m sketchsearch.parity_cli STUDENT_PT OUT_DIR
Writes OUT_DIR/inputs.f32 [N,3,128,128], OUT_DIR/sketch.f32 and OUT_DIR/image.f32 [N,D] (PyTorch
embeddings from the committed fp16 student weights) and OUT_DIR/meta.json {"n", "dim"}.
"""
import json
import os
import sys

import numpy as np
import torch

from .export import load_student
from .preprocess import sketch_tensor


def fixed_inputs():
    rng = np.random.RandomState(1234)
    xs = [rng.uniform(-1, 1, (3, 128, 128)).astype(np.float32) for _ in range(2)]
    xs.append(sketch_tensor([[[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]], [[50, 20], [50, 80]]]))
    xs.append(sketch_tensor([[[10, 10]]]))
    t = np.linspace(-1, 1, 128, dtype=np.float32)
    xs.append(np.stack([np.tile(t, (128, 1)), np.tile(t[:, None], (1, 128)), -np.tile(t, (128, 1))]).astype(np.float32))
    xs.append(np.ones((3, 128, 128), np.float32))
    img = np.ones((3, 128, 128), np.float32)
    img[0, 30:90, 40:100] = 0.8; img[1, 30:90, 40:100] = -0.6; img[2, 30:90, 40:100] = -0.9
    xs.append(img)
    xs.append(np.clip(rng.normal(0, 0.5, (3, 128, 128)), -1, 1).astype(np.float32))
    return np.stack(xs).astype(np.float32)


def main(argv):
    pt, out = argv
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(1)
    sk, im = load_student(pt)
    x = fixed_inputs()
    with torch.no_grad():
        es = sk(torch.from_numpy(x)).numpy()
        ei = im(torch.from_numpy(x)).numpy()
    x.astype('<f4').tofile(os.path.join(out, 'inputs.f32'))
    es.astype('<f4').tofile(os.path.join(out, 'sketch.f32'))
    ei.astype('<f4').tofile(os.path.join(out, 'image.f32'))
    json.dump({'n': int(len(x)), 'dim': int(es.shape[1])}, open(os.path.join(out, 'meta.json'), 'w'))


if __name__ == '__main__':
    main(sys.argv[1:])
