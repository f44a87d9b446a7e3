"""The format of a training/gpu pack, shared by pack.py (written on the CPU machine) and unpack.py (read on the
device machine). Needs only numpy and the standard library, except the JPEG photos (Pillow, or OpenCV).

Image arrays (N x 128 x 128 x 3 uint8, what prepare.py writes as *.u8) are stored losslessly: each image whose
three channels are equal (outlines, sketches, most icons) as one channel, the others as RGB, each group one
xz stream; an array with a base (outlines_w, base outlines) stores its difference to the base modulo 256,
which is zero where the two are equal. Photos are natural images and are stored as JPEG (lossy, recorded)."""
import hashlib
import io
import json
import lzma
import os

import numpy as np

FORMAT = 1
XZ = 9 | lzma.PRESET_EXTREME  # 4 % smaller than preset 6 on outlines, half its speed
SHAPE = (128, 128, 3)


def sha1(b):
    return hashlib.sha1(b).hexdigest()


def sha1_array(x):
    return sha1(np.ascontiguousarray(x).tobytes())


def xz(b, preset=XZ):
    return lzma.compress(b, preset=preset)


def unxz(b):
    return lzma.decompress(b)


def gray_flags(x):
    return (x[..., 0] == x[..., 1]).all((1, 2)) & (x[..., 1] == x[..., 2]).all((1, 2))


def encode_images(x, base=None, preset=XZ):
    """x [N,128,128,3] uint8 -> (flags bytes, gray stream, rgb stream)."""
    if base is not None:
        x = (x.astype(np.int16) - base.astype(np.int16)).astype(np.uint8)  # modulo 256
    g = gray_flags(x)
    return (np.packbits(g).tobytes(), xz(np.ascontiguousarray(x[g][..., 0]).tobytes(), preset),
            xz(np.ascontiguousarray(x[~g]).tobytes(), preset))


def decode_images(n, flags, gray, rgb, base=None):
    g = np.unpackbits(np.frombuffer(flags, np.uint8))[:n].astype(bool)
    x = np.empty((n,) + SHAPE, np.uint8)
    if g.any():
        x[g] = np.frombuffer(unxz(gray), np.uint8).reshape(-1, 128, 128, 1)
    if not g.all():
        x[~g] = np.frombuffer(unxz(rgb), np.uint8).reshape(-1, *SHAPE)
    if base is not None:
        x += base  # uint8 arithmetic wraps: undoes the difference modulo 256
    return x


def encode_jpeg(img, quality):
    from PIL import Image
    b = io.BytesIO()
    Image.fromarray(img).save(b, 'JPEG', quality=quality)
    return b.getvalue()


def decode_jpeg(b):
    try:
        from PIL import Image
        return np.asarray(Image.open(io.BytesIO(b)).convert('RGB'))
    except ImportError:
        import cv2
        return cv2.cvtColor(cv2.imdecode(np.frombuffer(b, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def decode_jpegs(blob, offsets):
    return np.stack([decode_jpeg(blob[offsets[i]:offsets[i + 1]]) for i in range(len(offsets) - 1)])


def encode_teacher(sd):
    """The teacher's feature-trunk parameters, losslessly: the weights of this quantised network take at most
    256 values per tensor (codebook + uint8 index); biases as float32. -> xz bytes of an npz."""
    arrs = {'keys': np.array(list(sd), dtype='U64')}
    for i, (k, v) in enumerate(sd.items()):
        a = np.ascontiguousarray(v.detach().cpu().numpy().astype(np.float32))
        u, inv = np.unique(a, return_inverse=True)
        if len(u) <= 256:
            arrs[f'cb{i}'], arrs[f'ix{i}'] = u, inv.reshape(a.shape).astype(np.uint8)
        else:
            arrs[f'raw{i}'] = a
    b = io.BytesIO()
    np.savez(b, **arrs)
    return xz(b.getvalue())


def decode_teacher(blob):
    """-> {key: float32 ndarray}, in the original order."""
    z = np.load(io.BytesIO(unxz(blob)), allow_pickle=False)
    out = {}
    for i, k in enumerate(z['keys']):
        out[str(k)] = z[f'cb{i}'][z[f'ix{i}']] if f'cb{i}' in z.files else z[f'raw{i}']
    return out


def teacher_sha1(state):
    """sha1 over keys, shapes and float32 bytes in order (the same for torch tensors and numpy arrays)."""
    h = hashlib.sha1()
    for k, v in state.items():
        a = np.ascontiguousarray(v.detach().cpu().numpy() if hasattr(v, 'detach') else v, dtype=np.float32)
        h.update(k.encode()); h.update(str(a.shape).encode()); h.update(a.tobytes())
    return h.hexdigest()


def read(pack, name):
    with open(os.path.join(pack, name), 'rb') as f:
        return f.read()


def write(pack, name, b):
    with open(os.path.join(pack, name), 'wb') as f:
        f.write(b)
    return len(b)


def load_manifest(pack):
    with open(os.path.join(pack, 'manifest.json')) as f:
        m = json.load(f)
    if m.get('format') != FORMAT:
        raise SystemExit(f'{pack}: pack format {m.get("format")}, this code reads {FORMAT}')
    return m
