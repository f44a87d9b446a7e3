"""Student: two coupled MobileNetV1 branches (sketch / image), initialised from Google's ImageNet
MobileNetV1 (google-coral/test_data, Apache-2.0; BN folded into conv biases), each with its own
weights and biases (domain-specific normalisation, TCN-style) tied by a soft L2 weight-sharing
penalty, a 2-layer projection head to D dims and L2 normalisation."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# (stride of each depthwise conv in the 13 dw/pw pairs of MobileNetV1)
DW_STRIDES = [1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1]


class TFSamePad(nn.Module):
    """TensorFlow 'SAME' padding for a 3x3 stride-2 conv on even-sized inputs: (0, 1, 0, 1)."""

    def forward(self, x):
        return F.pad(x, (0, 1, 0, 1))


class MobileNetV1(nn.Module):
    def __init__(self, width=0.25):
        super().__init__()
        c = lambda n: int(n * width)
        chans = [c(64), c(128), c(128), c(256), c(256), c(512), c(512), c(512), c(512), c(512), c(512), c(1024), c(1024)]
        layers = [TFSamePad(), nn.Conv2d(3, c(32), 3, 2, 0), nn.ReLU6()]
        cin = c(32)
        for s, cout in zip(DW_STRIDES, chans):
            if s == 2:
                layers += [TFSamePad(), nn.Conv2d(cin, cin, 3, 2, 0, groups=cin), nn.ReLU6()]
            else:
                layers += [nn.Conv2d(cin, cin, 3, 1, 1, groups=cin), nn.ReLU6()]
            layers += [nn.Conv2d(cin, cout, 1), nn.ReLU6()]
            cin = cout
        self.features = nn.Sequential(*layers)
        self.out_channels = cin

    def convs(self):
        return [m for m in self.features if isinstance(m, nn.Conv2d)]

    def load_tflite_torchscript(self, path):
        sd = torch.jit.load(path).state_dict()
        convs = self.convs()
        for k, conv in enumerate(convs):
            w, b = sd[f'body.params.w{k}'], sd[f'body.params.b{k}']
            assert w.shape == conv.weight.shape, (k, w.shape, conv.weight.shape)
            conv.weight.data.copy_(w)
            conv.bias.data.copy_(b)
        return self

    def forward(self, x):
        return self.features(x).mean(dim=(2, 3))


class Branch(nn.Module):
    def __init__(self, width, dim, hidden=512):
        super().__init__()
        self.backbone = MobileNetV1(width)
        self.head = nn.Sequential(nn.Linear(self.backbone.out_channels, hidden), nn.ReLU(), nn.Linear(hidden, dim))

    def forward(self, x):
        return F.normalize(self.head(self.backbone(x)), dim=1)


def share_penalty(a, b):
    """TCN soft weight sharing between two backbones of one architecture: sum of squared differences
    between their corresponding conv weights (biases and batch norm stay each branch's own)."""
    return sum(((x.weight - y.weight) ** 2).sum() for x, y in zip(a.convs(), b.convs()))


class Student(nn.Module):
    def __init__(self, width=0.25, dim=256):
        super().__init__()
        self.width, self.dim = width, dim
        self.sketch = Branch(width, dim)
        self.image = Branch(width, dim)

    def init_from(self, path):
        self.sketch.backbone.load_tflite_torchscript(path)
        self.image.backbone.load_tflite_torchscript(path)
        self.image.head.load_state_dict(self.sketch.head.state_dict())
        return self

    def share_penalty(self):
        return share_penalty(self.sketch.backbone, self.image.backbone)


def _l2n(y):
    return y / torch.sqrt((y * y).sum(dim=1, keepdim=True)).clamp_min(1e-12)


def edge_drawing(x, thr=0.5):
    """Image tensor [N,3,H,W] in [-1,1] -> a line drawing of it in the sketch encoder's input format
    (white paper 1, black ink -1): grey, Sobel gradient magnitude, ink = magnitude / thr clipped to 1.
    Part of the image encoder's graph (edge stream), so the extension needs no extra preprocessing."""
    g = x.mean(dim=1, keepdim=True)
    kx = torch.tensor([[-1., 0., 1.], [-2., 0., 2.], [-1., 0., 1.]], dtype=x.dtype, device=x.device).view(1, 1, 3, 3) / 8
    g = F.pad(g, (1, 1, 1, 1), mode='replicate')
    gx, gy = F.conv2d(g, kx), F.conv2d(g, kx.transpose(2, 3))
    ink = (torch.sqrt(gx * gx + gy * gy + 1e-12) / thr).clamp(0, 1)
    return (1 - 2 * ink).expand(-1, 3, -1, -1)


def thicker_ink(x, k):
    """Sketch-format tensor (paper 1, ink -1) with every stroke grown by a k x k min filter (k = 0: as is).
    The sketch pad draws 3-px lines; icons and emoji are bold shapes, and doodles find them better drawn
    thicker (models/MODEL_CARD.md)."""
    if k <= 1:
        return x
    if k % 2 == 0:
        raise ValueError(f'ink dilation must be odd (same-size output), got {k}')
    return -F.max_pool2d(-x, k, stride=1, padding=k // 2)


def edge_view(x, thr=0.5, dilate=0, size=0):
    """What the edge stream's sketch branch reads: the image's edge drawing, its ink grown by thicker_ink(dilate),
    resized to size x size when size > 0 (the exported image encoder and train.py's evaluation alike)."""
    d = thicker_ink(edge_drawing(x, thr), dilate)
    if size and size != d.shape[-1]:
        d = F.interpolate(d, size=(size, size), mode='bilinear', align_corners=False)
    return d


def colour_histogram(x, bins=12):
    """Image tensor [N,3,H,W] in [-1,1] -> [N, bins + 3] colour descriptor of unit length: the image averaged down
    by 8 (16 x 16 cells for 128 px), each cell counted in one of `bins` hue bins when it is coloured (saturation >
    0.25, value > 0.2), else as black (value < 0.2) or grey; white cells (the paper icons are flattened onto) are
    not counted, and an image of white cells only counts once in a last "blank" bin (so every image's descriptor
    has the same length, and the block never changes how a sketch query ranks it); square-rooted counts.
    Part of the image encoder's graph."""
    c = F.avg_pool2d((x + 1) / 2, 8)
    r, g, b = c[:, 0], c[:, 1], c[:, 2]
    mx, mn = c.amax(dim=1), c.amin(dim=1)
    d = (mx - mn).clamp_min(1e-6)
    hr = (g - b) / d
    hr = hr + 6 * (hr < 0).to(x.dtype)
    h = torch.where(mx == r, hr, torch.where(mx == g, (b - r) / d + 2, (r - g) / d + 4)) / 6
    s = (mx - mn) / mx.clamp_min(1e-6)
    coloured = (s > 0.25) & (mx > 0.2)
    k = (h * bins).floor().clamp(0, bins - 1)
    hue = ((k.unsqueeze(1) == torch.arange(bins, dtype=x.dtype, device=x.device).view(1, bins, 1, 1)) & coloured.unsqueeze(1))
    black = mx < 0.2
    white = (mx > 0.9) & (s < 0.15)
    grey = ~coloured & ~black & ~white
    counts = torch.cat([hue.to(x.dtype).sum(dim=(2, 3)), black.to(x.dtype).sum(dim=(1, 2)).unsqueeze(1),
                        grey.to(x.dtype).sum(dim=(1, 2)).unsqueeze(1)], dim=1)
    blank = (counts.sum(dim=1, keepdim=True) == 0).to(x.dtype)
    return _l2n(torch.sqrt(torch.cat([counts, blank], dim=1)))


class Embedder(nn.Module):
    """What is exported: one branch; input [N,3,128,128] -> L2-normalised embedding [N,D].
    With `edge_branch` (image encoder only) the image is also drawn as edges and embedded by the sketch
    branch; the result is normalise(mix * image + (1 - mix) * edge stream): an image is found both by
    what it depicts and by its outline.
    Test-time views (sketch encoder): `views` lists ink dilations (thicker_ink k; 0 = as drawn) and `flip`
    adds each view's mirror image; the embedding is the normalised sum of the views' embeddings, computed
    as one batch. `edge_dilate` thickens the image encoder's edge drawing (a sketch branch trained on
    thicker ink expects it). `edge_size` > 0 draws the edge stream at that size (the edge drawing is resized before
    the sketch branch reads it: at 96 px the stream costs 0.56 of a 128-px one)."""

    def __init__(self, branch, edge_branch=None, edge_mix=1.0, edge_thr=0.5, flip=False, views=(0,), edge_dilate=0, edge_size=0,
                 colour_weight=0.0, colour_bins=12, instance=None, pad=0, snap=None):
        super().__init__()
        self.branch, self.edge_branch = branch, edge_branch
        self.edge_size = int(edge_size or 0)
        self.edge_mix, self.edge_thr = float(edge_mix), float(edge_thr)
        self.flip, self.views, self.edge_dilate = bool(flip), tuple(int(k) for k in views), int(edge_dilate)
        assert edge_branch is None or self.views == (0,), 'ink dilation views are for sketch input only'
        # Blocks for image -> image similarity (find similar), image encoder only: with colour_weight wc > 0 a colour
        # histogram, with `instance` {'mean', 'basis', 'weight' wi} the branch's pooled features (square-rooted,
        # centred, projected on a PCA basis of training images); the output is [e; sqrt(wc) c; sqrt(wi) p] normalised,
        # so image -> image similarity is (e.e' + wc c.c' + wi p.p') / norms. `pad` (sketch encoder) appends as many
        # zeros, so a sketch query ranks images by e alone, exactly as without the blocks.
        self.colour_weight, self.colour_bins, self.pad = float(colour_weight), int(colour_bins), int(pad)
        self.inst_weight = float(instance['weight']) if instance else 0.0
        # Class snapping, both encoders: with `snap` {'protos' [K, D], 'alpha', 'temp'} the embedding e becomes
        # normalise(e + alpha * softmax(e P' / temp) P), pulled toward the training classes' prototypes it is most
        # like, so a rough doodle and an icon of an unfamiliar style meet at their class (export.fit_snap).
        # With snap['gate'] g a "no class" at cosine g joins the softmax: an embedding no prototype is nearer than g
        # (a class the build never trained on) is left nearly where it was.
        self.snap_alpha = float(snap['alpha']) if snap else 0.0
        self.snap_temp = float(snap['temp']) if snap else 1.0
        self.snap_gate = snap.get('gate') if snap else None
        if snap:
            self.register_buffer('snap_protos', snap['protos'].float())
        if instance:
            self.register_buffer('inst_mean', instance['mean'].float().view(1, -1))
            self.register_buffer('inst_basis', instance['basis'].float())

    def forward(self, x):
        xs = [thicker_ink(x, k) for k in self.views]
        if self.flip:  # a drawing of a thing facing left should also find it facing right
            xs += [torch.flip(v, dims=[3]) for v in xs]
        z, f = self._embed(xs[0] if len(xs) == 1 else torch.cat(xs, 0))
        if len(xs) > 1:
            z = _l2n(z.view(len(xs), -1, z.shape[1]).sum(0))
            f = f.view(len(xs), -1, f.shape[1]).mean(0)
        if self.snap_alpha > 0:
            cos = z @ self.snap_protos.T
            if self.snap_gate is not None:
                cos = torch.cat([cos, torch.full_like(cos[:, :1], float(self.snap_gate))], dim=1)
            w = torch.softmax(cos / self.snap_temp, dim=1)[:, :self.snap_protos.shape[0]]
            z = _l2n(z + self.snap_alpha * w @ self.snap_protos)
        blocks = [z]
        if self.colour_weight > 0:
            blocks.append(math.sqrt(self.colour_weight) * colour_histogram(x, self.colour_bins))
        if self.inst_weight > 0:
            blocks.append(math.sqrt(self.inst_weight) * _l2n((torch.sqrt(f.clamp_min(0)) - self.inst_mean) @ self.inst_basis))
        if len(blocks) > 1:
            z = _l2n(torch.cat(blocks, dim=1))
        if self.pad:
            z = F.pad(z, (0, self.pad))
        return z

    def _embed(self, x):
        """(embedding, the image branch's pooled features)"""
        f = self.branch.backbone(x)
        y = _l2n(self.branch.head(f))
        if self.edge_branch is None:
            return y, f
        d = edge_view(x, self.edge_thr, self.edge_dilate, self.edge_size)
        e = _l2n(self.edge_branch.head(self.edge_branch.backbone(d)))
        return _l2n(self.edge_mix * y + (1 - self.edge_mix) * e), f
