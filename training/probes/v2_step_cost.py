"""Probe: CPU cost of one v2 training step's image side (the same-size student's image branch after
its frozen, cached stem) and of the stem itself, at 128 px with 2 threads.

Run: cd training && /usr/bin/python3 -m probes.v2_step_cost [--batch 64] [--cut 11]
Prints seconds per forward+backward of the trainable tail and head for one batch, and per forward of
the frozen stem (computed once per image and cached in training). Timings depend on machine load.
"""
import argparse
import time

import torch

from sketchsearch.mobilenet_v2 import V2Branch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--cut', type=int, default=11, help='frozen leading blocks (train.py --image-freeze)')
    ap.add_argument('--repeats', type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(2)
    b = V2Branch(256).to(memory_format=torch.channels_last)
    blocks = b.backbone.blocks
    x = torch.randn(a.batch, 3, 128, 128).contiguous(memory_format=torch.channels_last)
    with torch.no_grad():
        blocks[:a.cut](x)  # warm-up
        t = time.time()
        h = blocks[:a.cut](x)
        stem = time.time() - t
    t = time.time()
    for _ in range(a.repeats):
        b.head(blocks[a.cut:](h).mean((2, 3))).sum().backward()
    tail = (time.time() - t) / a.repeats
    print(f'batch {a.batch}, cut {a.cut}: stem forward {stem:.2f} s, tail+head forward+backward {tail:.2f} s '
          f'(stem output {tuple(h.shape[1:])})')


if __name__ == '__main__':
    main()
