"""Export the student: models/{sketch_encoder,image_encoder}.onnx, model.json, student.pt (fp16 state
dicts used by the parity test) and a training report in training/reports/."""
import datetime
import hashlib
import inspect
import json
import math
import os
import time

import torch
import torch.nn as nn

from .mobilenet_v2 import V2Branch, fix_padding
from .model import Branch, Embedder

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def count_macs(module, size=128):
    macs = [0]

    # per input image: out.numel() counts every batched view (mirror, ink dilations) of the one input
    def hook(m, inp, out):
        if isinstance(m, nn.Conv2d):
            macs[0] += out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        elif isinstance(m, nn.Linear):
            macs[0] += out.numel() * m.in_features
    hs = [m.register_forward_hook(hook) for m in module.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        module(torch.zeros(1, 3, size, size))
    for h in hs:
        h.remove()
    return macs[0]


def round_fp16_(module):
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(p.half().float())


def load_student(path):
    """models/student.pt -> (sketch Embedder, image Embedder), eval mode, fp32."""
    return embedders_of(torch.load(path, map_location='cpu'), path)


def branch_of(ck, key):
    """One branch of a loaded student.pt ('sketch', 'image' or 'edge'), fp32, with its config's architecture."""
    c = ck['config']
    width = c['image_width'] if key == 'image' else c['sketch_width']
    b = V2Branch(c['dim']) if c.get('arch', 'v1') == 'v2' else Branch(width, c['dim'])
    b.load_state_dict({k: v.float() for k, v in ck[key].items()})
    return b


def embedders_of(ck, path='student.pt'):
    """A loaded student.pt -> (sketch Embedder, image Embedder), eval mode, fp32."""
    cfg = ck['config']
    br = {key: branch_of(ck, key) for key in ('sketch', 'image')}
    # a tuned sketch branch (sketch_tune.py): the edge stream keeps the weights the image side was fitted with
    edge = branch_of(ck, 'edge') if 'edge' in ck else br['sketch']
    mix = cfg.get('edge_mix', 1.0)  # < 1: the image encoder has an edge stream through the sketch branch
    flip = cfg.get('flip', '')  # mirror test-time augmentation in the 'sketch', 'image' or 'both' encoders
    dil = cfg.get('ink_dilate', 0)  # > 1: the sketch branch was trained on ink grown by thicker_ink(dil)
    views = cfg.get('sketch_views') or [dil]  # ink dilation of each test-time view of a sketch
    # image -> image blocks (model.Embedder): a colour histogram, the image branch's pooled features on a PCA basis
    cw, bins = cfg.get('colour_weight', 0.0), cfg.get('colour_bins', 12)
    inst = None
    if needs_instance(cfg):
        if 'instance' not in ck:
            raise ValueError(f'{path}: config asks for {cfg["instance_dims"]} instance dims but holds no basis '
                             '(export.py SRC OUT --work WORK fits one from the training images)')
        inst = {**ck['instance'], 'weight': cfg['instance_weight']}
    snap = None
    if needs_snap(cfg):
        if 'snap' not in ck:
            raise ValueError(f'{path}: config asks for class snapping (snap_alpha {cfg["snap_alpha"]}) but holds no class '
                             'prototypes (export.py SRC OUT --work WORK fits them from the training drawings and icons)')
        snap = {'protos': ck['snap']['protos'], 'alpha': cfg['snap_alpha'], 'temp': cfg.get('snap_temp', 0.03)}
    gate = lambda k: {'gate': cfg[k]} if cfg.get(k) is not None else {}  # noqa: E731
    img = Embedder(br['image'], edge if mix < 1 else None, mix, cfg.get('edge_thr', 0.5), flip in ('image', 'both'),
                   edge_dilate=dil, edge_size=cfg.get('edge_size', 0), colour_weight=cw, colour_bins=bins, instance=inst,
                   snap=snap and {**snap, **gate('snap_gate_image')})
    return (Embedder(br['sketch'], flip=flip in ('sketch', 'both'), views=views, pad=block_dims(cfg),
                     snap=snap and {**snap, **gate('snap_gate_sketch')}).eval(), img.eval())


# The image -> image blocks' export-time options (model.Embedder): train.py takes them with these defaults, the
# re-export CLI below as changes to a trained student's config.
BLOCK_OPTIONS = [
    ('colour_weight', float, 0.0, '> 0: both encoders gain a colour block (model.colour_histogram; zeros from the sketch '
                                  'encoder) weighing colour by W in image -> image similarity only; a sketch query ranks '
                                  'images exactly as without it'),
    ('colour_bins', int, 12, 'hue bins of the colour block'),
    ('instance_dims', int, 0, '> 0: both encoders gain an instance block of this many dims: the image branch\'s pooled '
                              'features on a PCA basis fitted at export on training images (zeros from the sketch encoder)'),
    ('instance_weight', float, 0.0, 'the instance block\'s weight in image -> image similarity'),
    ('instance_whiten', float, 0.0, 'the basis divides each principal direction by its std to this power (0.5: half whitening)'),
    # Not a block (no dims): both encoders pull their embedding toward the training classes' prototypes
    ('snap_alpha', float, 0.0, '> 0: class snapping in both encoders: e -> normalise(e + A softmax(e P\'/T) P), P the '
                               'training classes\' prototypes fitted at export on the work folder (fit_snap)'),
    ('snap_temp', float, 0.03, 'the class snapping\'s softmax temperature T'),
    ('snap_gate_sketch', float, None, 'the sketch encoder\'s snapping gate: a "no class" prototype at this cosine joins the '
                                      'softmax, so a drawing of a class the build never trained on moves little'),
    ('snap_gate_image', float, None, 'the same gate in the image encoder'),
]


def add_block_options(ap, with_defaults):
    for key, typ, default, text in BLOCK_OPTIONS:
        ap.add_argument('--' + key.replace('_', '-'), type=typ, default=default if with_defaults else None, help=text)


def needs_instance(cfg):
    """Whether the config asks for the instance block (a basis in student.pt)."""
    return cfg.get('instance_dims', 0) > 0 and cfg.get('instance_weight', 0.0) > 0


def needs_snap(cfg):
    """Whether the config asks for class snapping (prototypes in student.pt)."""
    return cfg.get('snap_alpha', 0.0) > 0


def fit_snap(sk_emb, img_emb, work, per_class=10):
    """Class snapping's prototypes: for every training class of WORK, the mean embedding of its first `per_class`
    QuickDraw training drawings (qd_train.json.gz, file order, drawn as the product draws them, no augmentation)
    by the sketch encoder, and the mean embedding of its labelled training icons (assets.u8) by the image encoder;
    each mean normalised, the two added where a class has both, normalised again. sk_emb / img_emb: the build's
    encoders without snapping. Never an evaluation drawing or icon: WORK holds neither.
    {'protos': [K, D], 'classes': [K names], 'fitted_on': {...}}."""
    import gzip
    import numpy as np
    from .classes import normalize
    from .prepare import load_u8
    from .preprocess import quickdraw_to_strokes, sketch_tensor
    meta = json.load(open(os.path.join(work, 'meta.json')))
    with gzip.open(os.path.join(work, 'qd_train.json.gz'), 'rt') as f:
        qd = json.load(f)
    dim = sk_emb.branch.head[-1].out_features  # the branches' embedding; the blocks after it are not snapped
    picked = {}
    for word, drawing, _ in qd:
        c = normalize(word)
        if len(picked.setdefault(c, [])) < per_class:
            picked[c].append(drawing)
    rows = [i for i, a in enumerate(meta['assets']) if a.get('label')]
    labels = [normalize(meta['assets'][i]['label']) for i in rows]
    assets = load_u8(os.path.join(work, 'assets.u8'), mmap=True) if rows else None

    def means(emb, batches):  # batches: (inputs, their classes)
        sums = {}
        with torch.no_grad():
            for x, ks in batches:
                z = emb(x)
                z = torch.nn.functional.normalize(z[:, :dim], dim=1)
                for k, v in zip(ks, z):
                    sums[k] = sums.get(k, 0) + v.double()
        return {k: torch.nn.functional.normalize(v, dim=0) for k, v in sums.items()}

    items = [(c, d) for c in sorted(picked) for d in picked[c]]
    # drawn batch by batch: 3,450 drawings at once would be 0.7 GB
    sk_means = means(sk_emb, ((torch.from_numpy(np.stack([sketch_tensor(quickdraw_to_strokes(d)) for _, d in items[i:i + 64]])),
                               [c for c, _ in items[i:i + 64]]) for i in range(0, len(items), 64)))
    im_means = means(img_emb, ((torch.from_numpy(np.array(assets[rows[i:i + 64]])).permute(0, 3, 1, 2).float() / 127.5 - 1,
                                labels[i:i + 64]) for i in range(0, len(rows), 64)))
    classes = sorted(set(sk_means) | set(im_means))
    protos = torch.stack([torch.nn.functional.normalize(sk_means.get(c, 0) + im_means.get(c, 0), dim=0) for c in classes])
    return {'protos': protos.float(), 'classes': classes,
            'fitted_on': {'work': os.path.relpath(os.path.abspath(work), REPO), 'drawings_per_class': per_class,
                          'drawings': len(items), 'icons': len(rows), 'with_drawings': len(sk_means), 'with_icons': len(im_means)}}


def fit_snap_of(ck, work):
    """fit_snap for a loaded student.pt: its encoders as configured, without snapping."""
    sk, im = embedders_of({**ck, 'config': {**ck['config'], 'snap_alpha': 0.0}})
    return fit_snap(sk, im, work)


def fit_missing(ck, work, no_work):
    """Fit on WORK what a student.pt's config asks for and it lacks: the instance basis, then the class prototypes
    (fitted through the encoders as configured, the basis included). `no_work` says why WORK may be missing, for
    the error. Returns whether anything was fitted."""
    cfg = ck['config']
    need = [k for k, asks in (('instance', needs_instance(cfg)), ('snap', needs_snap(cfg))) if asks and k not in ck]
    if need and not work:
        what = {'instance': 'an instance basis', 'snap': 'class prototypes'}
        raise SystemExit(f'{" and ".join(what[k] for k in need)} to fit: {no_work}')
    if 'instance' in need:
        ck['instance'] = fit_instance_of(ck, work)
    if 'snap' in need:
        ck['snap'] = fit_snap_of(ck, work)
    return bool(need)


def block_dims(cfg):
    """Dimensions the image -> image blocks add to both encoders' output (zeros in the sketch encoder's)."""
    return ((cfg.get('colour_bins', 12) + 3 if cfg.get('colour_weight', 0.0) > 0 else 0)
            + (cfg['instance_dims'] if needs_instance(cfg) else 0))


def out_dim(cfg):
    """model.json's dim: the branches' embedding plus the image -> image blocks."""
    return cfg['dim'] + block_dims(cfg)


def fit_instance(img_branch, work, k, whiten=0.0, n=2048, seed=0):
    """The instance block's basis: the image branch's pooled features of n training images of WORK (its
    assets.u8, what prepare decoded; never an evaluation image), square-rooted; their mean and top-k
    principal directions, each divided by its standard deviation to the power `whiten` (0: plain PCA,
    1: full whitening). {'mean': [C], 'basis': [C, k]}."""
    import numpy as np
    from .prepare import load_u8
    a = load_u8(os.path.join(work, 'assets.u8'), mmap=True)
    idx = np.sort(np.random.RandomState(seed).choice(len(a), min(n, len(a)), replace=False))
    img_branch = img_branch.eval()
    feats = []
    with torch.no_grad():
        for i in range(0, len(idx), 128):
            x = torch.from_numpy(np.array(a[idx[i:i + 128]])).permute(0, 3, 1, 2).float() / 127.5 - 1
            feats.append(torch.sqrt(img_branch.backbone(x).clamp_min(0)))
    f = torch.cat(feats).double()
    mean = f.mean(0)
    _, sv, vt = torch.linalg.svd(f - mean, full_matrices=False)
    r = min(k, len(sv))  # a work folder of fewer images than k (a test's) leaves the last columns zero
    std = (sv[:r] / math.sqrt(len(f))).clamp_min(float(sv[0]) * 1e-6 / math.sqrt(len(f)) + 1e-12)
    basis = torch.zeros(f.shape[1], k, dtype=f.dtype)
    basis[:, :r] = vt[:r].T / std ** whiten
    return {'mean': mean.float(), 'basis': basis.float(),
            'fitted_on': {'work': os.path.relpath(os.path.abspath(work), REPO), 'n': len(idx), 'seed': seed, 'whiten': whiten, 'rank': r}}


def fit_instance_of(ck, work):
    """fit_instance for the image branch of a loaded student.pt, with its config's dims and whitening."""
    c = ck['config']
    return fit_instance(branch_of(ck, 'image'), work, c['instance_dims'], c.get('instance_whiten', 0.0))


def export_onnx(emb, path):
    """The TorchScript-based (tracing) exporter at opset 17, what every shipped model was made with. Newer
    PyTorch (2.9+) defaults to the torch.export-based exporter: it is asked for the tracing one by name
    (dynamo=False); where that fails, the torch.export-based one (opset 18) is tried. Where onnxruntime is
    installed the file is run and compared with PyTorch."""
    emb = emb.eval()
    fix_padding(emb)  # constant SAME padding for the 128-px input (v2 branches; a no-op for v1)
    names = dict(input_names=['input'], output_names=['embedding'], dynamic_axes={'input': {0: 'N'}, 'embedding': {0: 'N'}})
    x = torch.zeros(2, 3, 128, 128)
    if 'dynamo' not in inspect.signature(torch.onnx.export).parameters:
        torch.onnx.export(emb, x, path, opset_version=17, do_constant_folding=True, **names)
    else:
        try:
            torch.onnx.export(emb, x, path, opset_version=17, do_constant_folding=True, dynamo=False, **names)
        except Exception as e:  # noqa: BLE001  (a PyTorch without the tracing exporter)
            print(f'  ONNX: the tracing exporter failed ({type(e).__name__}: {e}); using the torch.export-based one', flush=True)
            torch.onnx.export(emb, (x,), path, opset_version=18, dynamo=True, external_data=False, **names)
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m)
    check_onnx(emb, path)
    store_weights_fp16(path)
    check_onnx(emb, path, tol=FP16_TOL)


# Embeddings are unit vectors; weights stored as fp16 move them by < 1e-3 (v2: max |diff| 9e-4 in onnxruntime-node).
FP16_TOL = 1e-2


def store_weights_fp16(path, min_size=16):
    """Half the file: every float32 weight of at least min_size values is stored as float16 and cast back to
    float32 by a Cast node (onnxruntime folds those casts when it loads the session, so the arithmetic stays
    float32 and the speed the same). The graph's inputs, outputs and small constants are untouched."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    m = onnx.load(path)
    g = m.graph
    casts, keep = [], []
    for t in g.initializer:
        a = numpy_helper.to_array(t)
        if t.data_type != TensorProto.FLOAT or a.size < min_size:
            keep.append(t)
            continue
        h = numpy_helper.from_array(a.astype(np.float16), t.name + '_fp16')
        keep.append(h)
        casts.append(helper.make_node('Cast', [h.name], [t.name], to=TensorProto.FLOAT, name=t.name + '_cast'))
    del g.initializer[:]
    g.initializer.extend(keep)
    nodes = casts + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(m)
    onnx.save(m, path)
    return len(casts)


def check_onnx(emb, path, tol=1e-4):
    """Run the exported file on a small random batch with onnxruntime (when installed) against PyTorch."""
    try:
        import onnxruntime as ort
    except ImportError:
        return None
    x = torch.rand(3, 3, 128, 128, generator=torch.Generator().manual_seed(0)) * 2 - 1
    with torch.no_grad():
        want = emb(x).numpy()
    got = ort.InferenceSession(path, providers=['CPUExecutionProvider']).run(None, {'input': x.numpy()})[0]
    err = float(abs(got - want).max())
    if not err < tol:
        raise RuntimeError(f'{path}: onnxruntime differs from PyTorch by {err:.2e}')
    return err


def student_config(args):
    return {'arch': getattr(args, 'arch', 'v1'), 'sketch_width': args.sketch_width, 'image_width': args.image_width, 'dim': args.dim,
            'edge_mix': getattr(args, 'edge_mix', 1.0), 'edge_thr': getattr(args, 'edge_thr', 0.5),
            'edge_size': getattr(args, 'edge_size', 0),
            **{k: getattr(args, k, default) for k, _, default, _ in BLOCK_OPTIONS},
            'flip': getattr(args, 'flip', ''), 'ink_dilate': getattr(args, 'ink_dilate', 0),
            'sketch_views': getattr(args, 'sketch_views', None)}


def save_student(sk_branch, img_branch, args, path, checkpoint=None):
    """student.pt of branches in training (any device, any memory format), left untouched: the export's format
    (fp16 state dicts + config), plus checkpoint={step, ...} when written during training."""
    half = lambda b: {k: v.detach().contiguous().half().cpu() for k, v in b.state_dict().items()}  # noqa: E731
    ck = {'config': student_config(args), 'sketch': half(sk_branch), 'image': half(img_branch)}
    if checkpoint is not None:
        ck['checkpoint'] = checkpoint
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    torch.save(ck, path + '.tmp')
    os.replace(path + '.tmp', path)


def export_all(sk_branch, img_branch, args, final, baselines, log, t_start, steps, out_dir=None, data=None):
    out_dir = out_dir or args.out
    os.makedirs(out_dir, exist_ok=True)
    sk_branch = sk_branch.to(memory_format=torch.contiguous_format).eval()
    img_branch = img_branch.eval()
    for b in (sk_branch, img_branch):
        for p in b.parameters():
            p.data = p.data.contiguous()
        round_fp16_(b)
    cfg = student_config(args)
    ck = {'config': cfg, 'sketch': {k: v.half() for k, v in sk_branch.state_dict().items()},
          'image': {k: v.half() for k, v in img_branch.state_dict().items()}}
    if needs_instance(cfg):  # the basis from the exported (fp16-rounded) weights
        ck['instance'] = fit_instance(img_branch, args.work, cfg['instance_dims'], cfg['instance_whiten'])
    fit_missing(ck, args.work, 'train.py names no --work')  # the prototypes, from the exported (fp16-rounded) weights
    torch.save(ck, os.path.join(out_dir, 'student.pt'))
    params = {'sketch': sum(p.numel() for p in sk_branch.parameters()), 'image': sum(p.numel() for p in img_branch.parameters())}
    tail = {'final_python_eval': final, 'baselines_python': baselines, 'eval_log': log, **({'data': data} if data is not None else {})}
    if not is_shipped(out_dir):  # the training's record before the ONNX export: finish() completes it should that fail
        write_report(out_dir, {'id': None, 'export': 'student.pt only', 'args': vars(args), 'steps': steps, 'train_wall_s': final['t'],
                               'params': params, **tail})
    # export from the reloaded fp16 weights so ONNX and student.pt agree exactly
    sk_emb, img_emb = load_student(os.path.join(out_dir, 'student.pt'))
    export_onnx(sk_emb, os.path.join(out_dir, 'sketch_encoder.onnx'))
    export_onnx(img_emb, os.path.join(out_dir, 'image_encoder.onnx'))
    mid = write_model_json(out_dir, args.name, out_dim(cfg))
    report = {
        'id': mid, 'args': vars(args), 'steps': steps, 'train_wall_s': final['t'],
        'total_wall_s_train_py': time.time() - t_start, 'params': params,
        **sizes(out_dir, sk_emb, img_emb), **tail,
    }
    write_report(out_dir, report)
    print('exported', mid, json.dumps({k: report[k] for k in ('params', 'macs', 'bytes')}), flush=True)
    return report


def write_model_json(out_dir, name, dim):
    """models/model.json; the id ends in a hash of both ONNX files (the index is rebuilt when it changes)."""
    h = hashlib.sha256()
    for f in ('sketch_encoder.onnx', 'image_encoder.onnx'):
        h.update(open(os.path.join(out_dir, f), 'rb').read())
    mid = f'{name}-{datetime.datetime.utcnow().strftime("%Y%m%d")}-{h.hexdigest()[:8]}'
    mj = {'id': mid, 'dim': dim, 'inputSize': 128, 'preprocessVersion': 1, 'sketch': 'sketch_encoder.onnx',
          'image': 'image_encoder.onnx', 'inputName': 'input', 'outputName': 'embedding'}
    with open(os.path.join(out_dir, 'model.json'), 'w') as f:
        json.dump(mj, f, indent=2)
        f.write('\n')
    return mid


def sizes(out_dir, sk_emb, img_emb):
    return {'macs': {'sketch': count_macs(sk_emb), 'image': count_macs(img_emb)},
            'bytes': {f: os.path.getsize(os.path.join(out_dir, f)) for f in ('sketch_encoder.onnx', 'image_encoder.onnx', 'student.pt')}}


def is_shipped(out_dir):
    """models/ (the full build) and models/zero-shot/ keep their reports in training/reports, not beside the model."""
    return os.path.abspath(out_dir) in (os.path.join(REPO, 'models'), os.path.join(REPO, 'models', 'zero-shot'))


def write_report(out_dir, report):
    """Next to the export, or training/reports/<id>.json when exporting into a shipped folder."""
    rdir = os.path.join(REPO, 'training', 'reports')
    os.makedirs(rdir, exist_ok=True)
    with open(os.path.join(rdir, report['id'] + '.json') if is_shipped(out_dir) else os.path.join(out_dir, 'train_report.json'), 'w') as f:
        json.dump(report, f, indent=1)


def reexport(src, out, name, work=None, **changes):
    """Re-export a trained student (SRC/student.pt) with export-time options changed (edge_mix, edge_thr,
    edge_size, flip, sketch_views, the image -> image blocks, class snapping: WORK fits the instance basis and the
    class prototypes); the weights are unchanged, so e.g. edge_mix=M is the same as training with
    --edge-mix M and no --edge-train. OUT may be SRC (train.sh re-exports its output in place)."""
    ck = torch.load(os.path.join(src, 'student.pt'), map_location='cpu')
    src_id = json.load(open(os.path.join(src, 'model.json')))['id']  # before an in-place export rewrites it
    rep_file = os.path.join(src, 'train_report.json')
    if not os.path.exists(rep_file):
        rep_file = os.path.join(REPO, 'training', 'reports', src_id + '.json')
    report = json.load(open(rep_file))
    before = dict(ck['config'])
    ck['config'].update(changes)
    c, old = ck['config'], ck.get('instance')
    # The instance basis is refitted only when missing or asked for with other dims or whitening: a re-export for
    # another option keeps the shipped basis exactly, even where WORK is given (for the class prototypes) and was
    # prepared again.
    if needs_instance(c) and old and (old['basis'].shape[1] != c['instance_dims']
                                      or old['fitted_on'].get('whiten', 0.0) != c.get('instance_whiten', 0.0)):
        del ck['instance']
    ck.pop('snap', None)  # the prototypes depend on every other export option: refitted at each re-export
    fit_missing(ck, work, 'give --work WORK (the training work folder)')
    os.makedirs(out, exist_ok=True)
    torch.save(ck, os.path.join(out, 'student.pt'))
    sk_emb, img_emb = load_student(os.path.join(out, 'student.pt'))
    export_onnx(sk_emb, os.path.join(out, 'sketch_encoder.onnx'))
    export_onnx(img_emb, os.path.join(out, 'image_encoder.onnx'))
    mid = write_model_json(out, name, out_dim(ck['config']))
    report['final_python_eval_before_reexport'] = report.pop('final_python_eval', None)
    report.update({'id': mid, 'reexport': {'from': src_id, 'config_before': before, 'config': ck['config']},
                   **sizes(out, sk_emb, img_emb)})
    write_report(out, report)
    print('exported', mid, json.dumps({k: report[k] for k in ('macs', 'bytes')}), flush=True)
    return report


def finish(out, name):
    """Complete an export that stopped after student.pt (train.py cut short after a --checkpoint-every
    checkpoint, or an ONNX export that failed on another machine): the ONNX files, model.json and
    train_report.json from OUT/student.pt, keeping what train_report.json already recorded."""
    ck = torch.load(os.path.join(out, 'student.pt'), map_location='cpu')
    work = (ck.get('checkpoint') or {}).get('args', {}).get('work')  # a training checkpoint: fit what it lacks now
    if fit_missing(ck, work, f'{out}/student.pt names no work folder'):
        torch.save(ck, os.path.join(out, 'student.pt'))
    sk_emb, img_emb = load_student(os.path.join(out, 'student.pt'))
    export_onnx(sk_emb, os.path.join(out, 'sketch_encoder.onnx'))
    export_onnx(img_emb, os.path.join(out, 'image_encoder.onnx'))
    mid = write_model_json(out, name, out_dim(ck['config']))
    rep_file = os.path.join(out, 'train_report.json')
    report = json.load(open(rep_file)) if os.path.exists(rep_file) else {}
    if 'checkpoint' in ck and 'final_python_eval' not in report:  # cut short during training: what the checkpoint knows
        c = ck['checkpoint']
        report.update({k: c[k] for k in ('args', 'data') if c.get(k) is not None})
        report.update({'steps': c.get('step'), 'train_wall_s': c.get('t'), 'eval_log': c.get('eval_log', [])})
    report.update({'id': mid, 'export': 'finished by export.py --finish' + (f" from the checkpoint of step {ck['checkpoint'].get('step')}"
                                                                           if 'checkpoint' in ck else ''),
                   'config': ck['config'], **sizes(out, sk_emb, img_emb)})
    with open(rep_file, 'w') as f:
        json.dump(report, f, indent=1)
    print('exported', mid, json.dumps({k: report[k] for k in ('macs', 'bytes')}), flush=True)
    return report


if __name__ == '__main__':
    import argparse
    import sys
    if len(sys.argv) > 1 and sys.argv[1] == '--finish':
        fp = argparse.ArgumentParser(description='Export ONNX + model.json from OUT/student.pt (an export that stopped after it)')
        fp.add_argument('--finish', required=True, metavar='OUT')
        fp.add_argument('--name', required=True)
        fa = fp.parse_args()
        finish(fa.finish, fa.name)
        sys.exit(0)
    ap = argparse.ArgumentParser(description='Re-export a trained student with changed export-time options: the edge '
                                 'stream in the image encoder, mirror views, ink-dilation views of sketches. '
                                 '(--finish OUT --name N: complete an export that stopped after OUT/student.pt)')
    ap.add_argument('src', help='directory with student.pt and model.json (a training output)')
    ap.add_argument('out', help='output directory, e.g. ../models')
    ap.add_argument('--edge-mix', type=float, help='image encoder: weight of the image stream against the edge stream')
    ap.add_argument('--edge-thr', type=float)
    ap.add_argument('--edge-size', type=int, help='image encoder: draw the edge stream at this size (default: the input size)')
    add_block_options(ap, with_defaults=False)
    ap.add_argument('--work', help='the training work folder the instance basis (when missing) and the class prototypes '
                                   'are fitted on (its assets.u8, meta.json, qd_train.json.gz)')
    ap.add_argument('--flip', choices=['', 'sketch', 'image', 'both'],
                    help='in these encoders embed each input and its mirror image, and average')
    ap.add_argument('--sketch-views', help='comma-separated ink dilations of the sketch encoder\'s views, e.g. 0,5')
    ap.add_argument('--name', required=True)
    a = ap.parse_args()
    ch = {k: getattr(a, k) for k in ['edge_mix', 'edge_thr', 'edge_size', 'flip'] + [o[0] for o in BLOCK_OPTIONS]
          if getattr(a, k) is not None}
    if a.sketch_views:
        ch['sketch_views'] = [int(k) for k in a.sketch_views.split(',')]
    reexport(a.src, a.out, a.name, work=a.work, **ch)
