"""The teacher's own architecture as a trainable student branch: ImageNet MobileNetV2 1.0 (google-coral/
test_data, Apache-2.0) rebuilt from its TorchScript, with batch norm restored.

The TFLite weights have batch norm folded into each convolution (y = w*x + b). Training a branch on
its own domain needs batch norm back (TCN: coupled encoders of one architecture, independent batch norm
per branch). `unfold_bn` measures, on a calibration batch of the branch's own domain, the mean m and
standard deviation s of every convolution's output w*x and sets BN so that, in eval mode,
gamma (w*x - m) / s + beta = w*x + b (gamma = s, beta = b + m, running stats m, s^2): the function is
unchanged, and in train mode batch statistics of similar data give nearly the same output, so
fine-tuning starts from the teacher instead of from a network whose activations were renormalised.
`CoupledMobileNetV2` holds a sketch and an image branch of this architecture, initialised alike, with
TCN's soft weight sharing (squared distance between corresponding convolution weights).
"""
import os
import re
import zipfile

import torch
import torch.nn as nn
import torch.nn.functional as F

from .model import share_penalty

# (expansion t, output channels c, repeats n, first stride s): MobileNetV2 1.0 (Sandler et al. 2018)
V2_CONFIG = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


# The teacher's weights outside a TorchScript: a torch.save'd dict of its feature trunk's parameters
# ('body.params.w<k>' / 'body.params.b<k>', float32, bit-identical), what training/gpu/unpack.py writes on a
# machine that was sent training/gpu/pack.py's lossless copy of the weights instead of the 23 MB TorchScript.
STATE_SUFFIX = '.state.pt'


def teacher_file(teacher_dir, name):
    """teacher_dir/name, or its weights-only twin (name with .torchscript.pt -> .state.pt) when only that is there."""
    path = os.path.join(teacher_dir, name)
    alt = os.path.join(teacher_dir, name.replace('.torchscript.pt', STATE_SUFFIX))
    return alt if not os.path.exists(path) and os.path.exists(alt) else path


def is_torchscript(path):
    """TorchScript archives hold code/; a torch.save'd state dict does not."""
    with zipfile.ZipFile(path) as z:
        return any('/code/' in n for n in z.namelist())


def load_teacher_state(path):
    """State dict of a teacher file: a TorchScript (../shared/models/teacher) or its weights-only twin."""
    if is_torchscript(path):
        return torch.jit.load(path, map_location='cpu').state_dict()
    sd = torch.load(path, map_location='cpu')
    assert all(k.startswith('body.params.') for k in sd), f'{path}: not a teacher state'
    return sd


def same_pad(h, w, k, stride):
    """TensorFlow SAME padding of an h x w input as F.pad's (left, right, top, bottom)."""
    ph = max((-(-h // stride) - 1) * stride + k - h, 0)
    pw = max((-(-w // stride) - 1) * stride + k - w, 0)
    return (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2)


class ConvBN(nn.Module):
    """Conv (TensorFlow SAME padding, no bias) + batch norm (+ ReLU6)."""

    def __init__(self, cin, cout, k, stride=1, groups=1, relu=True):
        super().__init__()
        self.k, self.stride, self.relu = k, stride, relu
        self.conv = nn.Conv2d(cin, cout, k, stride, 0, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.fixed_pad = None  # (left, right, top, bottom) for one input size: fix_padding()

    def pad(self, x):
        if self.k == 1:
            return x
        if self.fixed_pad is not None:
            return F.pad(x, self.fixed_pad)
        return F.pad(x, same_pad(x.shape[2], x.shape[3], self.k, self.stride))

    def forward(self, x):
        y = self.bn(self.conv(self.pad(x)))
        return F.relu6(y) if self.relu else y


def fix_padding(module, size=128):
    """Make every SAME padding inside `module` a constant for inputs of size x size (the exported encoders
    only ever see that size). Traced with the input's shape, the padding is a chain of Shape/Gather/Sub ops
    in the ONNX graph, evaluated on every run; constant pads fold away when onnxruntime loads the file
    (same numbers; a 3% smaller file; no speed change measurable on the loaded 2-core machine). Returns
    the number of convolutions fixed."""
    cbs = [m for m in module.modules() if isinstance(m, ConvBN) and m.k > 1]
    seen = {}
    def record(m, inp):
        seen.setdefault(m, tuple(inp[0].shape[2:]))  # returns None: the input is left as it is
    hooks = [cb.register_forward_pre_hook(record) for cb in cbs]
    was = module.training
    module.eval()
    with torch.no_grad():
        module(torch.zeros(1, 3, size, size))
    module.train(was)
    for h in hooks:
        h.remove()
    for cb in cbs:
        if cb not in seen:
            continue
        cb.fixed_pad = same_pad(*seen[cb], cb.k, cb.stride)
    return len(seen)


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, t):
        super().__init__()
        hid = cin * t
        layers = [ConvBN(cin, hid, 1)] if t != 1 else []
        layers += [ConvBN(hid, hid, 3, stride, groups=hid), ConvBN(hid, cout, 1, relu=False)]
        self.layers = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.layers(x)
        return x + y if self.residual else y


class MobileNetV2(nn.Module):
    """Pooled 1280-d features of any input size (global mean, where the TFLite graph pools 7x7 at 224)."""

    def __init__(self):
        super().__init__()
        blocks = [ConvBN(3, 32, 3, 2)]
        cin = 32
        for t, c, n, s in V2_CONFIG:
            for i in range(n):
                blocks.append(InvertedResidual(cin, c, s if i == 0 else 1, t))
                cin = c
        blocks.append(ConvBN(cin, 1280, 1))
        self.blocks = nn.Sequential(*blocks)
        self.out_channels = 1280

    def convbns(self):
        return [m for m in self.modules() if isinstance(m, ConvBN)]

    def convs(self):
        return [m.conv for m in self.convbns()]

    def load_folded(self, torchscript_path):
        """Weights of the teacher's TorchScript (BN folded; or of its weights-only twin, load_teacher_state);
        BN set to identity + the folded bias, so the module computes exactly the folded network until
        `unfold_bn` gives it real statistics."""
        sd = load_teacher_state(torchscript_path)
        keys = sorted({int(m.group(1)) for k in sd for m in [re.match(r'body\.params\.w(\d+)$', k)] if m})
        cbs = self.convbns()
        assert len(keys) == len(cbs), (len(keys), len(cbs))
        for k, cb in zip(keys, cbs):
            w, b = sd[f'body.params.w{k}'], sd[f'body.params.b{k}']
            assert w.shape == cb.conv.weight.shape, (k, w.shape, cb.conv.weight.shape)
            cb.conv.weight.data.copy_(w)
            bn = cb.bn
            bn.weight.data.fill_(1.0)
            bn.bias.data.copy_(b)
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)
        return self

    @torch.no_grad()
    def unfold_bn(self, batches):
        """Batch-norm statistics of this branch's domain (an iterable of input batches); keeps the
        eval-mode function (see the module docstring). Returns self."""
        cbs = self.convbns()
        s1 = [0.0] * len(cbs); s2 = [0.0] * len(cbs); n = [0] * len(cbs)
        hooks = []
        for i, cb in enumerate(cbs):
            def hook(_m, _inp, out, i=i):
                o = out.double()
                s1[i] = s1[i] + o.sum((0, 2, 3)); s2[i] = s2[i] + (o * o).sum((0, 2, 3)); n[i] += o.numel() // o.shape[1]
            hooks.append(cb.conv.register_forward_hook(hook))
        was = self.training
        self.eval()
        try:
            for x in batches:
                self(x)
        finally:
            for h in hooks:
                h.remove()
            self.train(was)
        for i, cb in enumerate(cbs):
            bn = cb.bn
            mean = s1[i] / n[i]
            var = (s2[i] / n[i] - mean * mean).clamp_min(1e-6)
            # current eval function: gamma (wx - rm) / sqrt(rv + eps) + beta; keep it with rm = mean, rv = var
            scale = bn.weight.double() / torch.sqrt(bn.running_var.double() + bn.eps)
            shift = bn.bias.double() - bn.running_mean.double() * scale
            std = torch.sqrt(var + bn.eps)
            bn.running_mean.copy_(mean.float())
            bn.running_var.copy_(var.float())
            bn.weight.data.copy_((scale * std).float())
            bn.bias.data.copy_((shift + scale * mean).float())
        return self

    def forward(self, x):
        return self.blocks(x).mean(dim=(2, 3))


class V2Branch(nn.Module):
    """Backbone + a 2-layer projection head to `dim`, L2-normalised (same head as model.Branch)."""

    def __init__(self, dim, hidden=512):
        super().__init__()
        self.backbone = MobileNetV2()
        self.head = nn.Sequential(nn.Linear(1280, hidden), nn.ReLU(), nn.Linear(hidden, dim))

    def forward(self, x):
        return F.normalize(self.head(self.backbone(x)), dim=1)


class CoupledMobileNetV2(nn.Module):
    """Sketch and image branches of the teacher's architecture, both initialised from the teacher,
    batch norm per branch (own statistics, own affine parameters), convolution weights tied softly."""

    def __init__(self, dim=256):
        super().__init__()
        self.sketch = V2Branch(dim)
        self.image = V2Branch(dim)

    def init_from(self, torchscript_path):
        self.sketch.backbone.load_folded(torchscript_path)
        self.image.backbone.load_folded(torchscript_path)
        self.image.head.load_state_dict(self.sketch.head.state_dict())
        return self

    def share_penalty(self):
        return share_penalty(self.sketch.backbone, self.image.backbone)
