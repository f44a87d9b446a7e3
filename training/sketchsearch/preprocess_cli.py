"""CLI used by test/integration/preprocess-parity.test.ts.

Usage: /usr/bin/python3 -m sketchsearch.preprocess_cli IN.json OUT.f32
IN.json: a list of stroke sets ([[[x, y], ...], ...]); OUT.f32: float32 sketch tensors [N, 3, S, S].
"""
import json
import sys

import numpy as np

from .preprocess import sketch_tensor


def main(argv):
    with open(argv[0]) as f:
        sets = json.load(f)
    # JSON has no NaN/Infinity; the test encodes them as strings.
    def num(v):
        return float(v) if not isinstance(v, str) else float(v.replace('Infinity', 'inf'))
    out = np.stack([sketch_tensor([[[num(p[0]), num(p[1])] for p in s] for s in strokes])
                    for strokes in sets]) if sets else np.zeros((0, 3, 128, 128), np.float32)
    out.astype('<f4').tofile(argv[1])


if __name__ == '__main__':
    main(sys.argv[1:])
