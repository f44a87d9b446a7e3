"""Train the Sketch Search student and export it to models/.

/usr/bin/python3 -m sketchsearch.train [--minutes 20] [--out ../models] (run from training/;
training/train.sh runs prepare + train). Needs training/.work from sketchsearch.prepare.

Losses (weights via --w-*; set 0 to ablate):
  cls   semantic classification: cosine softmax over shared class prototypes, sketches and images
  x     cross-domain instance InfoNCE: sketch vs its paired image (Sketchy photo / asset for its outline)
  rel   RPKD instance-relation distillation: KL between teacher and student batch similarity rows,
        for images (student image vs images) and sketches (student sketch vs images, teacher row of
        its paired image, or of its class centre for QuickDraw sketches -- precomputed teacher
        class centres = embedding-induced supervision)
  crd   contrastive relation distillation: InfoNCE between student image embeddings and a learned
        linear projection of the teacher's features
  l2sp  keep the sketch backbone near its ImageNet initialisation
Options for the teacher's vectors (ablations sqrtc / align in ablate.sh and the model card):
  --teacher-space sqrtc   power-normalised, centred teacher features
  --sk-align M            mix the aligned teacher (the teacher's own features of a sketch, ridge-mapped
                          into its image space; fitted on training classes) into each sketch's vector
  --teacher-space split   raw teacher for the image relations and crd, sqrtc (+ aligned) for the sketch rows
Edge stream (--edge-mix < 1): the image encoder also embeds a Sobel line drawing of the image with the sketch
branch and mixes it in; --edge-train N makes it part of training (else it is added at export).
Image -> image blocks (--colour-weight, --instance-dims; export only): both encoders' output gains a colour
histogram and the image branch's pooled features on a PCA basis (fitted at export on training images), zeros
from the sketch encoder: "find similar" weighs them, a sketch query ranks images exactly as without them.
--device cuda runs it all on a GPU (the CPU stays the default; training/gpu and docs/gpu-training.md: the pack,
the device machine's script); --workers N draws the sketch batches in N processes.
"""
import argparse
import gzip
import hashlib
import json
import math
import os
import random
import subprocess
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import augment
from .model import Branch, Embedder, edge_view, share_penalty, thicker_ink
from .export import add_block_options, save_student
from .mobilenet_v2 import V2Branch, teacher_file
from .prepare import load_u8
from .preprocess import rasterize_strokes
from .classes import normalize

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
TEACHER_DIR = os.path.join(REPO, '..', 'shared', 'models', 'teacher')
INIT = {0.25: 'mobilenet_v1_0.25_128_quant.torchscript.pt', 0.5: 'mobilenet_v1_0.5_160_quant.torchscript.pt'}
TEACHER_V2 = 'mobilenet_v2_1.0_224_quant.torchscript.pt'  # --arch v2: both branches are the teacher's own network


def layers_of(branch):
    """The backbone's sequence of layers: MobileNetV1 `features`, MobileNetV2 `blocks`."""
    return branch.backbone.blocks if isinstance(branch, V2Branch) else branch.backbone.features


def seed_all(seed):
    random.seed(seed); np.random.seed(seed); torch.manual_seed(seed)


def u8_to_tensor(a):
    return torch.from_numpy(a).permute(0, 3, 1, 2).float().div_(127.5).sub_(1)


def resolve_device(name):
    """--device -> torch.device; cuda without CUDA is an error, never a silent fall-back to the CPU."""
    if name == 'cuda' and not torch.cuda.is_available():
        raise SystemExit(f'--device cuda: CUDA is not available to this PyTorch ({torch.__version__}, built for CUDA '
                         f'{torch.version.cuda}); train on the CPU with --device cpu')
    return torch.device(name)


def failed(path):
    return set(json.load(open(path + '.json'))['failed'])


def failed_assets(work, with_outlines_w=True):
    """Indices of the assets whose image or outline failed to decode: out of the image pool and the sketch stream."""
    bad = failed(os.path.join(work, 'assets.u8')) | failed(os.path.join(work, 'outlines.u8'))
    ow = os.path.join(work, 'outlines_w.u8')
    if with_outlines_w and os.path.exists(ow):
        bad |= failed(ow)
    return bad


def image_labels(meta, cidx, bad_assets):
    """(label, ok) of every training image, photos then assets: ok = in the training pool (no failed or left-out asset;
    Sketchy validation photos only in a build that trains on them), label = its class index or -1."""
    photos, assets = meta['photos'], meta['assets']
    n_ph = len(photos)
    label = np.full(n_ph + len(assets), -1, np.int64)
    ok = np.zeros(n_ph + len(assets), bool)
    train_on_val = meta.get('train_on_val', False)  # the full build trains on the Sketchy validation classes too
    for i, p in enumerate(photos):
        if not p['val'] or train_on_val:
            ok[i] = True
            label[i] = cidx[normalize(p['cls'])]
    for i, a in enumerate(assets):
        if i not in bad_assets:
            ok[n_ph + i] = True
            if a['label'] is not None:
                label[n_ph + i] = cidx[a['label']]
    return label, ok


def python_eval(work, meta, embed_sketches, val_photo_vecs, eval_asset_vecs):
    """The training scripts' two measures (mAP@all): Sketchy-val sketch -> photo, and the work folder's QuickDraw
    evaluation drawings -> evaluation assets. embed_sketches: a batch [N,3,128,128] on the CPU -> embeddings;
    val_photo_vecs(rows): the embeddings of those photos; eval_asset_vecs(): those of every evaluation asset."""
    sketches, photos = meta['sketches'], meta['photos']
    vi = [i for i, s in enumerate(sketches) if s['val']]
    pv = [i for i, p in enumerate(photos) if p['val']]
    with torch.no_grad():
        su = load_u8(os.path.join(work, 'sketches.u8'))
        q = torch.cat([embed_sketches(u8_to_tensor(su[vi[i:i + 128]])) for i in range(0, len(vi), 128)])
        sv = mean_ap(q.cpu().numpy(), val_photo_vecs(pv).cpu().numpy(), np.array([sketches[i]['cls'] for i in vi]),
                     np.array([photos[i]['cls'] for i in pv]))
        qt = np.load(os.path.join(work, 'qd_eval_tensors.npy'), mmap_mode='r')
        q = torch.cat([embed_sketches(torch.from_numpy(np.array(qt[i:i + 128]))) for i in range(0, len(qt), 128)])
        qd = mean_ap(q.cpu().numpy(), eval_asset_vecs().cpu().numpy(), np.array(meta['qd_eval_classes']),
                     np.array([a['cls'] for a in meta['eval_assets']]))
    return {'sketchy_val_map': sv, 'qd_unseen_assets_map': qd}


def mean_ap(q, g, ql, gl):
    """mAP@all: q [Nq,D], g [Ng,D] L2-normalised; labels arrays."""
    sims = q @ g.T
    aps = []
    for i in range(len(q)):
        order = np.argsort(-sims[i], kind='stable')
        rel = (gl[order] == ql[i]).astype(np.float64)
        if rel.sum() == 0:
            continue
        hits = np.cumsum(rel)
        aps.append(float((hits / np.arange(1, len(rel) + 1) * rel).sum() / rel.sum()))
    return float(np.mean(aps))


class SketchStream(torch.utils.data.IterableDataset):
    """Yields sketch batches: QuickDraw (stroke aug + exact rasteriser), Sketchy sketches, asset outlines."""

    def __init__(self, work, seed, n_qd, n_sk, n_ol, qd_label, sk_idx, ol_idx, use_outlines_w=True, icon_doodles=0.0):
        self.work, self.seed, self.use_outlines_w = work, seed, use_outlines_w
        self.icon_doodles = icon_doodles  # share of asset samples drawn from the icon's doodle strokes
        self.n_qd, self.n_sk, self.n_ol = n_qd, n_sk, n_ol
        self.qd_label, self.sk_idx, self.ol_idx = qd_label, sk_idx, ol_idx

    def __iter__(self):
        wi = torch.utils.data.get_worker_info()
        rng = np.random.RandomState(self.seed + (wi.id if wi else 0))
        torch.manual_seed(self.seed)
        with gzip.open(os.path.join(self.work, 'qd_train.json.gz'), 'rt') as f:
            qd = json.load(f)
        sketches = load_u8(os.path.join(self.work, 'sketches.u8'), mmap=True)
        outlines = load_u8(os.path.join(self.work, 'outlines.u8'), mmap=True)
        ow = os.path.join(self.work, 'outlines_w.u8')
        outlines_w = load_u8(ow, mmap=True) if self.use_outlines_w and os.path.exists(ow) else None
        doodles = None
        if self.icon_doodles > 0:
            with gzip.open(os.path.join(self.work, 'icon_strokes.json.gz'), 'rt') as f:
                doodles = json.load(f)  # one stroke list per asset, [] where the icon has no outline
        while True:
            qi = rng.randint(0, len(qd), self.n_qd)
            ink = np.stack([rasterize_strokes(augment.augment_strokes([np.stack(st[:2], 1) for st in qd[i][1]], rng)) for i in qi])
            xq = torch.from_numpy(1 - 2 * ink)[:, None].expand(-1, 3, -1, -1)
            si = rng.choice(self.sk_idx, self.n_sk)
            xs = augment.random_affine(u8_to_tensor(sketches[si]), rng, scale=(0.8, 1.05))
            oi = rng.choice(self.ol_idx, self.n_ol)
            xo = outlines[oi]
            if outlines_w is not None:  # half visible-edge outlines (white fill), half all-edge outlines
                w_ = rng.rand(len(oi)) < 0.5
                xo = np.where(w_[:, None, None, None], outlines_w[oi], xo)
            xo = augment.random_affine(u8_to_tensor(xo), rng, scale=(0.75, 0.95))
            if doodles is not None:
                # The icon as a doodle: its outline strokes through the same stroke augmentation and
                # rasteriser as QuickDraw drawings (icon_strokes.py), in place of the rendered outline.
                for k, a in enumerate(oi):
                    if doodles[a] and rng.rand() < self.icon_doodles:
                        ink_o = rasterize_strokes(augment.augment_strokes([np.stack(st[:2], 1) for st in doodles[a]], rng))
                        xo[k] = torch.from_numpy(1 - 2 * ink_o)[None].expand(3, -1, -1)
            yield (torch.cat([xq, xs, xo]).contiguous(), torch.from_numpy(np.asarray([self.qd_label[qd[i][0]] for i in qi])),
                   torch.from_numpy(si), torch.from_numpy(oi), torch.from_numpy(qi))


def info_nce(a, b, tau, mask=None):
    """Row i of a matches row i of b; mask[i,j]=True removes j as a negative for i."""
    logits = a @ b.T / tau
    if mask is not None:
        logits = logits.masked_fill(mask, -1e4)
    return F.cross_entropy(logits, torch.arange(len(a), device=a.device))


def rel_kl(s_logits, t_logits, mask=None):
    if mask is not None:
        s_logits = s_logits.masked_fill(mask, -1e4); t_logits = t_logits.masked_fill(mask, -1e4)
    return F.kl_div(F.log_softmax(s_logits, 1), F.log_softmax(t_logits, 1), log_target=True, reduction='batchmean')


def aligned_sketch_teacher(work, args, tea_c, img_label, img_ok, sk_idx, sk_label, qd_cls, photos, sketches):
    """The teacher's own features of each training sketch, mapped into the teacher's (sqrt, centred) image
    space by W = argmin |X W - Y|^2 + lam |W - I|^2, X = centred sqrt teacher features of the training
    sketches (Sketchy training classes + QuickDraw training drawings with teacher features), Y = the teacher image
    centre of the sketch's class. Fitted on training classes only. Returns normalised targets for all
    Sketchy sketches and all QuickDraw training drawings, and the map's Sketchy-val mAP for the record."""
    sq = lambda x: np.sqrt(np.maximum(np.asarray(x, np.float32), 0))
    A_sk = sq(np.load(os.path.join(work, 'teacher_sketches.npy')))
    A_qd = sq(np.load(os.path.join(work, 'teacher_qd_train.npy')))
    qrows = np.load(os.path.join(work, 'teacher_qd_train_rows.npy'))  # which QuickDraw drawings have teacher features
    assert len(A_qd) == len(qrows) and qrows.max() < len(qd_cls) and len(A_sk) == len(sketches), 'stale teacher sketch features: run sketchsearch.prepare'
    A_sk -= A_sk[sk_idx].mean(0); A_qd -= A_qd.mean(0)
    tc = tea_c.numpy()
    n_cls = int(max(img_label.max(), qd_cls.max(), sk_label.max())) + 1
    cen = np.zeros((n_cls, tc.shape[1]), np.float32); has = np.zeros(n_cls, bool)
    for k in np.unique(img_label[img_ok & (img_label >= 0)]):
        cen[k] = tc[img_ok & (img_label == k)].mean(0); has[k] = True
    qsub = np.nonzero(has[qd_cls[qrows]])[0]  # rows of A_qd whose class has image centres
    ssub = np.array([i for i in sk_idx if has[sk_label[i]]])
    X = np.concatenate([A_sk[ssub], A_qd[qsub]]); Y = np.concatenate([cen[sk_label[ssub]], cen[qd_cls[qrows[qsub]]]])
    d = X.shape[1]
    W = np.linalg.solve(X.T @ X + args.align_lam * np.eye(d, dtype=np.float32), X.T @ Y + args.align_lam * np.eye(d, dtype=np.float32))
    nrm = lambda x: x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-8)
    al_sk = nrm(A_sk @ W)
    al_qd = np.zeros((len(qd_cls), W.shape[1]), np.float32)  # zero row = no aligned vector for that drawing
    al_qd[qrows] = nrm(A_qd @ W)
    vi = [i for i, s in enumerate(sketches) if s['val']]; pv = [i for i, p in enumerate(photos) if p['val']]
    val_map = lambda q: mean_ap(q, nrm(tc[pv]), np.array([sketches[i]['cls'] for i in vi]), np.array([photos[i]['cls'] for i in pv]))
    report = {'rows': len(X), 'lam': args.align_lam,
              'sketchy_val_map_teacher_sqrtc': val_map(nrm(A_sk[vi])), 'sketchy_val_map_aligned': val_map(al_sk[vi])}
    return torch.from_numpy(al_sk), torch.from_numpy(al_qd), report


def load_warm_start(path, args):
    """The student.pt of a warm restart (--init-from), read once: a v2 student of this run's dim."""
    ck = torch.load(path, map_location='cpu')
    cfg = ck.get('config', {})
    assert cfg.get('arch', 'v1') == 'v2' and cfg.get('dim', args.dim) == args.dim, f'{path}: not a v2 student of dim {args.dim}'
    return ck


def load_frozen_blocks(img_branch, ck, image_freeze):
    """Copy the first image_freeze blocks of a student.pt's image branch (batch norm folded in) into img_branch and
    return a short digest of them. Batch norm is restored from a random pick of the work folder's images, so a
    folder with other images (more icon packages) would otherwise restore other frozen blocks than the checkpoint
    was trained on; the digest keys the cached trunk features, which are therefore always the checkpoint's."""
    ref = img_branch.state_dict()
    frozen = sorted(n for n in ref if n.startswith('backbone.blocks.') and int(n.split('.')[2]) < image_freeze)
    assert frozen and all(n in ck['image'] for n in frozen), 'the warm start\'s student.pt has no frozen image blocks'
    img_branch.load_state_dict({**ref, **{n: ck['image'][n].to(ref[n].dtype).to(ref[n].device) for n in frozen}})
    h = hashlib.sha1()
    for n in frozen:
        h.update(n.encode()); h.update(ck['image'][n].float().numpy().tobytes())
    return h.hexdigest()[:12]


def warm_start(ck, path, sk_branch, img_branch, protos, proj_t, img_head, sketch_forward, feats, tea, img_pool,
               img_label, loader, n_classes, dev, n_sketch_batches=16, ridge=1e-2):
    """Both branches from a student.pt (load_warm_start; batch norm statistics included, its frozen image blocks
    already in place: load_frozen_blocks), for a warm restart (SGDR). student.pt
    holds the branches only, so the prototypes and the teacher projection are refitted from what the loaded
    branches embed, instead of starting random and pulling the embeddings around while they relearn: each
    class's prototype is the mean image embedding of its images (mean sketch embedding of a few stream batches
    for classes without images), the projection is the ridge map from teacher vectors to image embeddings."""
    for b, k in ((sk_branch, 'sketch'), (img_branch, 'image')):
        ref = b.state_dict()
        b.load_state_dict({n: v.to(ref[n].dtype) for n, v in ck[k].items()})
    sk_branch.eval(); img_branch.eval()
    with torch.no_grad():
        idx = torch.from_numpy(img_pool).to(dev)
        e = torch.cat([img_head(feats[0, idx[i:i + 256]]) for i in range(0, len(idx), 256)])
        lab = torch.from_numpy(img_label[img_pool]).to(dev)
        sums = torch.zeros(n_classes, e.shape[1], device=dev)
        m = lab >= 0
        sums.index_add_(0, lab[m], e[m])
        have = sums.norm(dim=1) > 0
        sk_sums = torch.zeros_like(sums)
        for _ in range(n_sketch_batches):
            xs, yq = next(loader)[:2]
            xq = xs[:len(yq)].to(dev).contiguous(memory_format=torch.channels_last)  # QuickDraw rows come first
            sk_sums.index_add_(0, yq.to(dev), sketch_forward(xq))
        fill = ~have & (sk_sums.norm(dim=1) > 0)
        sums[fill] = sk_sums[fill]
        have = have | fill
        protos.data[have] = F.normalize(sums[have], dim=1)
        t = tea[idx].float()
        w = torch.linalg.solve(t.T @ t + ridge * len(t) * torch.eye(t.shape[1], device=dev), t.T @ e)
        proj_t.weight.data.copy_(w.T)
    print(f'warm start from {path}: {int(have.sum())} of {n_classes} prototypes refitted, projection fitted on '
          f'{len(idx)} images', flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--work', default=os.path.join(REPO, 'training', '.work'))
    ap.add_argument('--teacher-dir', default=TEACHER_DIR)
    ap.add_argument('--out', default=os.path.join(REPO, 'models'))
    ap.add_argument('--minutes', type=float, default=20)
    ap.add_argument('--max-steps', type=int, default=100000)
    ap.add_argument('--schedule-steps', type=int, default=0,
                    help='if > 0: step-based schedule (cosine over this many steps, then stop) instead of the '
                         'wall-clock budget, for load-independent reproducibility')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--dim', type=int, default=256)
    ap.add_argument('--sketch-width', type=float, default=0.25)
    ap.add_argument('--image-width', type=float, default=0.5)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--n-qd', type=int, default=32)
    ap.add_argument('--n-sk', type=int, default=16)
    ap.add_argument('--n-ol', type=int, default=32)
    ap.add_argument('--n-img', type=int, default=256)
    ap.add_argument('--tau', type=float, default=0.1)
    ap.add_argument('--tau-t', type=float, default=0.05)
    ap.add_argument('--w-cls', type=float, default=1.0)
    ap.add_argument('--w-cls-img', type=float, default=None, help='weight of the classification loss on images (default: --w-cls)')
    ap.add_argument('--w-x', type=float, default=1.0)
    ap.add_argument('--w-rel', type=float, default=1.0)
    ap.add_argument('--w-crd', type=float, default=1.0)
    ap.add_argument('--w-l2sp', type=float, default=1e-3)
    ap.add_argument('--eval-every', type=int, default=200)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--device', choices=['cpu', 'cuda'], default='cpu',
                    help='where the networks, the teacher tensors and every training step run (cuda: training/gpu)')
    ap.add_argument('--workers', type=int, default=1, help='DataLoader processes drawing the sketch batches (each its own seed)')
    ap.add_argument('--checkpoint-every', type=int, default=0,
                    help='> 0: write OUT/student.pt (the export\'s format) every N steps, so a run cut short leaves a model '
                         '(python3 -m sketchsearch.export --finish OUT exports it)')
    ap.add_argument('--name', default='student-v1')
    ap.add_argument('--freeze-stem', type=int, default=0, help='leading sketch-backbone modules kept frozen (no backward)')
    ap.add_argument('--no-outlines-w', action='store_true', help='only all-edge outlines (v1 behaviour)')
    ap.add_argument('--arch', choices=['v1', 'v2'], default='v1',
                    help='v1: MobileNetV1 students of --sketch-width/--image-width, frozen image trunk (the shipped v5); '
                         'v2: both branches the teacher\'s own MobileNetV2 1.0 (same-size student), batch norm restored '
                         'per branch, image branch trained after its first --image-freeze blocks, soft weight sharing --w-share')
    ap.add_argument('--image-freeze', type=int, default=11,
                    help='v2: leading image-backbone blocks kept frozen; their outputs are computed once and cached')
    ap.add_argument('--w-share', type=float, default=0.0, help='v2: TCN soft weight-sharing penalty between the branches')
    ap.add_argument('--bn-calib', type=int, default=256, help='v2: images / sketches whose statistics restore batch norm')
    ap.add_argument('--icon-doodles', type=float, default=0.0,
                    help='share of asset sketch samples drawn as doodles from the icon\'s own outline strokes '
                         '(prepare\'s icon_strokes.json.gz) instead of its rendered outline')
    ap.add_argument('--teacher-space', choices=['raw', 'sqrtc', 'split'], default='raw',
                    help='teacher vectors for the distillation losses: raw pooled features, or power-normalised '
                         '(sqrt) and centred on the training images\' mean (probes/teacher_alignment.py: 0.200 -> 0.281), '
                         'or split: raw for the image relations and crd, sqrtc for the sketch relations')
    ap.add_argument('--tau-t-sk', type=float, default=None, help='teacher temperature of the sketch relation rows (default --tau-t)')
    ap.add_argument('--sk-align', type=float, default=0.0,
                    help='weight in [0,1] of the aligned teacher in every sketch\'s teacher vector: the teacher\'s own '
                         'features of the sketch mapped into its image space by a ridge regression fitted once on '
                         'training classes (sketch -> teacher image class centre); needs --teacher-space sqrtc or split')
    ap.add_argument('--edge-mix', type=float, default=1.0,
                    help='< 1: the image encoder gets an edge stream (the image drawn as Sobel edges, embedded by the '
                         'sketch branch); image embedding = normalise(mix * image head + (1 - mix) * edge stream)')
    ap.add_argument('--edge-thr', type=float, default=0.5, help='gradient magnitude drawn as full ink')
    ap.add_argument('--edge-size', type=int, default=0,
                    help='with --edge-mix < 1: the edge stream reads the edge drawing resized to this size (0: the input '
                         'size), in the exported image encoder and in this script\'s evaluation')
    ap.add_argument('--edge-train', type=int, default=0,
                    help='with --edge-mix < 1: the edge stream is part of training; the first N images of each batch '
                         '(the sketches\' paired images come first) get its gradient, the rest run it without; '
                         '0 = the edge stream is added at export only')
    add_block_options(ap, with_defaults=True)  # export only; sketch -> image ranking is unchanged, so evaluate() leaves them out
    ap.add_argument('--flip', choices=['', 'sketch', 'image', 'both'], default='',
                    help='mirror test-time augmentation in these exported encoders (embed the input and its mirror '
                         'image and average; training and its Python eval are unchanged)')
    ap.add_argument('--ink-dilate', type=int, default=0,
                    help='> 1: everything the sketch branch sees (sketches, outlines, edge drawings) has its ink grown by '
                         'a k x k min filter, in training and in the exported encoders')
    ap.add_argument('--sketch-views', type=lambda v: [int(k) for k in v.split(',')], default=None,
                    help='ink dilations of the exported sketch encoder\'s test-time views, e.g. 0,5 (default: '
                         '--ink-dilate only); with --flip sketch each view is also mirrored')
    ap.add_argument('--data-seed', type=int, default=None,
                    help='seed of the sketch stream and the image batches (default --seed, which also picks the images '
                         'that restore batch norm and so keys the cached image features): a warm restart sees new batches')
    ap.add_argument('--init-from', default='',
                    help='v2: start from this student.pt (a warm restart: a second cosine cycle of --schedule-steps '
                         'steps; class prototypes and the teacher projection are refitted from its embeddings)')
    ap.add_argument('--skip-sets', default='',
                    help='icon packages of the work folder left out of training (comma list): the same folder trains '
                         'with and without them (the --more-icons ablation), same frozen blocks and cached features')
    ap.add_argument('--align-lam', type=float, default=1000.0, help='ridge strength (chosen by CV over training classes in the probe)')
    args = ap.parse_args(argv)
    t_start = time.time()
    seed_all(args.seed)
    torch.set_num_threads(args.threads)
    dev = resolve_device(args.device)
    cuda = dev.type == 'cuda'
    if cuda:  # TF32 matmuls and convolutions, autotuned kernels (the batch shapes are fixed)
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    T = lambda a: torch.from_numpy(np.asarray(a)).to(dev)  # noqa: E731  numpy -> tensor on the device
    work = args.work
    meta = json.load(open(os.path.join(work, 'meta.json')))

    # ---------------- images: frozen ImageNet MobileNetV1 trunk, features precomputed (+ flips) ----
    photos, assets = meta['photos'], meta['assets']
    bad_assets = failed_assets(work, not args.no_outlines_w)
    skip_sets = {x for x in args.skip_sets.split(',') if x}
    unknown = skip_sets - {a['set'] for a in assets}
    assert not unknown, f'--skip-sets: no assets of {sorted(unknown)} in {work}'
    bad_assets |= {i for i, a in enumerate(assets) if a['set'] in skip_sets}  # out of the image pool and the outlines
    v2 = args.arch == 'v2'
    assert v2 or args.w_share == 0, '--w-share couples branches of one architecture: --arch v2'
    from .prepare import cached, content_key, mark
    if v2:
        # Same-size student: the teacher's MobileNetV2 1.0; batch norm restored from the statistics of
        # training images (this branch's domain); the first --image-freeze blocks stay frozen and cached.
        img_branch = V2Branch(args.dim)
        teacher_v2 = teacher_file(args.teacher_dir, TEACHER_V2)
        img_branch.backbone.load_folded(teacher_v2)
        img_branch.to(dev)
        calib_rng = np.random.RandomState(args.seed + 7)
        all_img = np.concatenate([load_u8(os.path.join(work, 'photos.u8')), load_u8(os.path.join(work, 'assets.u8'))])
        pick = calib_rng.choice(len(all_img), min(args.bn_calib, len(all_img)), replace=False)
        img_branch.backbone.unfold_bn([u8_to_tensor(all_img[pick[i:i + 64]]).to(dev) for i in range(0, len(pick), 64)])
        del all_img
        init_ck, init_frozen = None, ''
        if args.init_from:  # a warm restart keeps its checkpoint's frozen blocks, whatever images this folder holds
            init_ck = load_warm_start(args.init_from, args)
            init_frozen = load_frozen_blocks(img_branch, init_ck, args.image_freeze)
        img_frozen = img_branch.backbone.blocks[:args.image_freeze].eval()
        img_tail = img_branch.backbone.blocks[args.image_freeze:]
        trunk, trunk_file = img_frozen, teacher_v2
        cache = os.path.join(work, f'imgfeat_v2_b{args.image_freeze}_s{args.seed}.npy')
    else:
        img_branch = Branch(args.image_width, args.dim)
        img_branch.backbone.load_tflite_torchscript(os.path.join(args.teacher_dir, INIT[args.image_width]))
        img_branch.to(dev)
        trunk, trunk_file = img_branch.backbone, os.path.join(args.teacher_dir, INIT[args.image_width])
        cache = os.path.join(work, f'imgfeat_w{args.image_width}.npy')
    trunk.eval()
    for p in trunk.parameters():
        p.requires_grad_(False)
    feat_key = content_key(*(os.path.join(work, f) for f in ('photos.u8', 'assets.u8', 'eval_assets.u8')), trunk_file,
                           f'{args.arch}-{args.image_freeze}-{args.bn_calib}-{args.seed}' if v2 else '',
                           *(['computed-on-cuda'] if cuda else []),  # (the CPU's keys as before)
                           *([f'frozen-{init_frozen}'] if v2 and init_frozen else []))
    if not cached(cache, feat_key):
        t = time.time()
        u8 = np.concatenate([load_u8(os.path.join(work, 'photos.u8')), load_u8(os.path.join(work, 'assets.u8')),
                             load_u8(os.path.join(work, 'eval_assets.u8'))])
        feats = []
        bb = trunk.to(memory_format=torch.channels_last)
        with torch.no_grad():
            for flip in [False, True]:
                out = []
                for i in range(0, len(u8), 128):
                    x = u8_to_tensor(u8[i:i + 128]).to(dev)
                    if flip:
                        x = x.flip(3)
                    out.append(bb(x.contiguous(memory_format=torch.channels_last)).cpu().numpy())
                feats.append(np.concatenate(out))
        # v2 caches block outputs [N, C, h, w] (fp16 halves the memory); v1 pooled trunk features
        np.save(cache, np.stack(feats).astype(np.float16 if v2 else np.float32))
        mark(cache, feat_key)
        print(f'image trunk features in {time.time() - t:.0f}s', flush=True)
    feats = torch.from_numpy(np.load(cache)).to(dev)  # [2, N_all, C] (v1) or [2, N_all, C, h, w] fp16 (v2)

    def img_head(f):
        """Cached trunk output -> image embedding before the edge stream (v2: through the trainable tail)."""
        if v2:
            f = img_tail(f.float().contiguous(memory_format=torch.channels_last)).mean(dim=(2, 3))
        return F.normalize(img_branch.head(f), dim=1)
    n_ph, n_as = len(photos), len(assets)
    tea_raw = torch.from_numpy(np.concatenate([np.load(os.path.join(work, 'teacher_photos.npy')), np.load(os.path.join(work, 'teacher_assets.npy'))]))

    classes = meta['train_classes']
    cidx = {c: i for i, c in enumerate(classes)}
    # image pool for training: train-class photos + non-failed assets
    img_label, img_ok = image_labels(meta, cidx, bad_assets)
    train_on_val = meta.get('train_on_val', False)
    img_pool = np.nonzero(img_ok)[0]
    edge_on = args.edge_mix < 1
    img_u8 = (np.concatenate([load_u8(os.path.join(work, 'photos.u8')), load_u8(os.path.join(work, 'assets.u8'))])
              if edge_on else None)  # pixels for the edge stream, indexed like feats (photos, then assets)
    # tea: teacher vectors of the image relations and crd; tea_s: of the sketch relations (and class centres)
    if args.teacher_space in ('sqrtc', 'split'):
        img_mu = tea_raw[torch.from_numpy(img_pool)].clamp_min(0).sqrt().mean(0)
        tea_c = tea_raw.clamp_min(0).sqrt() - img_mu  # centred, not normalised: the ridge targets live here
        tea_s = F.normalize(tea_c, dim=1)
        tea = tea_s if args.teacher_space == 'sqrtc' else F.normalize(tea_raw, dim=1)
    else:
        assert args.sk_align == 0, '--sk-align needs --teacher-space sqrtc or split'
        tea = tea_s = F.normalize(tea_raw, dim=1)
    tau_t_sk = args.tau_t if args.tau_t_sk is None else args.tau_t_sk
    # teacher class centres (mean normalised teacher feature of each class's images)
    centres = torch.zeros(len(classes), tea_s.shape[1])
    has_centre = torch.zeros(len(classes), dtype=torch.bool)
    for k in range(len(classes)):
        m = (img_label == k) & img_ok
        if m.any():
            centres[k] = F.normalize(tea_s[torch.from_numpy(m)].mean(0), dim=0)
            has_centre[k] = True
    print(f'{len(classes)} train classes, {int(has_centre.sum())} with teacher centres; image pool {len(img_pool)}', flush=True)

    qd_label = {w: cidx[normalize(w)] for w in meta['qd_classes']}
    sketches = meta['sketches']
    sk_idx = np.array([i for i, s in enumerate(sketches) if (not s['val'] or train_on_val) and s['photo'] >= 0])
    sk_label = np.array([cidx.get(normalize(s['cls']), -1) for s in sketches])
    sk_photo = np.array([s['photo'] for s in sketches])
    ol_idx = np.array([i for i in range(n_as) if i not in bad_assets])
    if args.sk_align > 0:
        with gzip.open(os.path.join(work, 'qd_train.json.gz'), 'rt') as f:
            qd_cls = np.array([qd_label[r[0]] for r in json.load(f)])
        al_sk, al_qd, align_report = aligned_sketch_teacher(work, args, tea_c, img_label, img_ok, sk_idx, sk_label, qd_cls, photos, sketches)
        print('aligned teacher', align_report, flush=True)
        al_sk, al_qd = al_sk.to(dev), al_qd.to(dev)
    tea, tea_s, centres, has_centre = tea.to(dev), tea_s.to(dev), centres.to(dev), has_centre.to(dev)

    # ---------------- student ----------------
    if v2:
        sk_branch = V2Branch(args.dim)
        sk_branch.backbone.load_folded(teacher_v2)
        sk_branch.head.load_state_dict(img_branch.head.state_dict())
    else:
        sk_branch = Branch(args.sketch_width, args.dim)
        sk_branch.backbone.load_tflite_torchscript(os.path.join(args.teacher_dir, INIT[args.sketch_width]))
    init_w = [c.weight.detach().clone().to(dev) for c in sk_branch.backbone.convs()]
    sk_branch = sk_branch.to(dev, memory_format=torch.channels_last)
    stem = layers_of(sk_branch)[:args.freeze_stem]
    for p in stem.parameters():
        p.requires_grad_(False)

    def sketch_forward(x, thicken=True):
        with torch.no_grad():
            h = stem(thicker_ink(x, args.ink_dilate) if thicken else x)
        return F.normalize(sk_branch.head(layers_of(sk_branch)[args.freeze_stem:](h).mean(dim=(2, 3))), dim=1)

    def set_train_modes():
        """Trainable parts in train mode; frozen stems in eval mode (their batch norm must not drift)."""
        sk_branch.train(); img_branch.train()
        stem.eval(); trunk.eval()

    def image_embed(head_in, u8, flip=None, n_grad=None):
        """Image embedding from cached trunk features (+ the edge stream from the pixels, same flips)."""
        e = torch.cat([img_head(head_in[i:i + 256]) for i in range(0, len(head_in), 256)])
        if not edge_on:
            return e
        x = u8_to_tensor(u8).to(dev)
        if flip is not None:
            x = torch.where(flip.bool()[:, None, None, None], x.flip(3), x)
        x = edge_view(x, args.edge_thr, args.ink_dilate, args.edge_size).contiguous(memory_format=torch.channels_last)
        k = len(x) if n_grad is None else n_grad
        parts = [sketch_forward(x[i:min(i + 128, k)], False) for i in range(0, k, 128)]
        with torch.no_grad():
            parts += [sketch_forward(x[i:i + 128], False) for i in range(k, len(x), 128)]
        return F.normalize(args.edge_mix * e + (1 - args.edge_mix) * torch.cat(parts), dim=1)
    protos = nn.Parameter(F.normalize(torch.randn(len(classes), args.dim), dim=1).to(dev))
    proj_t = nn.Linear(tea.shape[1], args.dim, bias=False).to(dev)
    params = ([p for p in sk_branch.parameters() if p.requires_grad] + list(img_branch.head.parameters()) + [protos]
              + list(proj_t.parameters()) + (list(img_tail.parameters()) if v2 else []))
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=1e-4)
    scale_cls = 16.0

    data_seed = args.seed if args.data_seed is None else args.data_seed
    stream = SketchStream(work, data_seed, args.n_qd, args.n_sk, args.n_ol, qd_label, sk_idx, ol_idx, not args.no_outlines_w,
                          icon_doodles=args.icon_doodles)
    loader = iter(torch.utils.data.DataLoader(stream, batch_size=None, num_workers=args.workers, pin_memory=cuda,
                                              **({'prefetch_factor': 4} if args.workers > 0 else {})))
    rng = np.random.RandomState(data_seed + 1)

    def evaluate():
        sk_branch.eval(); img_branch.eval()
        res = python_eval(work, meta, lambda x: sketch_forward(x.to(dev).contiguous(memory_format=torch.channels_last)),
                          lambda pv: image_embed(feats[0, pv], img_u8[pv] if edge_on else None),
                          lambda: image_embed(feats[0, n_ph + n_as:],
                                              load_u8(os.path.join(work, 'eval_assets.u8')) if edge_on else None))
        set_train_modes()
        return res

    # baselines (teacher raw features), once
    base_file = os.path.join(work, 'baselines.json')  # raw teacher features, as the benchmark's teacher-raw
    need = [os.path.join(work, f'teacher_{k}.npy') for k in ('val_sketches', 'qd_eval', 'eval_assets')]
    if not os.path.exists(base_file) and all(os.path.exists(f) for f in need):
        tv = F.normalize(torch.from_numpy(np.load(os.path.join(work, 'teacher_val_sketches.npy'))), dim=1).numpy()
        pv = [i for i, p in enumerate(photos) if p['val']]
        vi = [i for i, s in enumerate(sketches) if s['val']]
        b = {'teacher_sketchy_val_map': mean_ap(tv, F.normalize(tea_raw[pv], dim=1).numpy(), np.array([sketches[i]['cls'] for i in vi]), np.array([photos[i]['cls'] for i in pv]))}
        tq = F.normalize(torch.from_numpy(np.load(os.path.join(work, 'teacher_qd_eval.npy'))), dim=1).numpy()
        tg = F.normalize(torch.from_numpy(np.load(os.path.join(work, 'teacher_eval_assets.npy'))), dim=1).numpy()
        b['teacher_qd_unseen_assets_map'] = mean_ap(tq, tg, np.array(meta['qd_eval_classes']), np.array([a['cls'] for a in meta['eval_assets']]))
        json.dump(b, open(base_file, 'w'), indent=1)
    baselines = json.load(open(base_file)) if os.path.exists(base_file) else {}
    if args.sk_align > 0:
        baselines = {**baselines, 'aligned_teacher': align_report}
    print('baselines', baselines, flush=True)

    if v2:  # the sketch branch's batch norm from sketches: the stream's first batches (QuickDraw, Sketchy, outlines)
        calib, n = [], 0
        while n < args.bn_calib:
            b = next(loader)[0].to(dev)
            calib.append(thicker_ink(b, args.ink_dilate).contiguous(memory_format=torch.channels_last)); n += len(b)
        sk_branch.backbone.unfold_bn(calib)
        del calib
    if args.init_from:
        assert v2, '--init-from: v2 students'
        warm_start(init_ck, args.init_from, sk_branch, img_branch, protos, proj_t, img_head, sketch_forward, feats, tea,
                   img_pool, img_label, loader, len(classes), dev)
    set_train_modes()
    data = os.path.join(work, 'pack_manifest.json')  # a work folder rebuilt from a training/gpu pack names its data
    data = json.load(open(data)) if os.path.exists(data) else None
    budget = args.minutes * 60
    t0 = time.time()
    step = 0
    log = []
    lr0 = args.lr
    while step < args.max_steps:
        el = time.time() - t0
        if args.schedule_steps > 0:
            if step >= args.schedule_steps:
                break
            frac = step / args.schedule_steps
        else:
            if el > budget:
                break
            frac = el / budget
        lr = lr0 * min(1.0, (step + 1) / 50) * 0.5 * (1 + math.cos(math.pi * min(frac, 1.0)))
        for g_ in opt.param_groups:
            g_['lr'] = lr
        xs, yq, si, oi, qi = next(loader)
        xs, yq, qi = xs.to(dev, non_blocking=True), yq.to(dev), qi.to(dev)
        si, oi = si.numpy(), oi.numpy()
        nq, ns, no = len(yq), len(si), len(oi)
        # image batch: paired images first, then random pool images
        pair_img = np.concatenate([sk_photo[si], n_ph + oi])
        rand_img = rng.choice(img_pool, args.n_img - len(pair_img))
        ib = np.concatenate([pair_img, rand_img])
        flip = T(rng.randint(0, 2, len(ib)))
        ib_t = T(ib)
        f_img = feats[flip, ib_t]
        if edge_on and args.edge_train > 0:
            e_img = image_embed(f_img, img_u8[ib], flip, args.edge_train)
        else:  # without --edge-train the edge stream is added only at export
            e_img = img_head(f_img)
        t_img = tea[ib_t]
        ts_img = tea_s[ib_t]
        lab_img = T(img_label[ib])
        e_sk = sketch_forward(xs.contiguous(memory_format=torch.channels_last))
        lab_sk = torch.cat([yq, T(sk_label[si]), T(img_label[n_ph + oi])])
        losses = {}
        # semantic classification (shared prototypes)
        if args.w_cls > 0:
            P = F.normalize(protos, dim=1)
            l = 0
            m = lab_sk >= 0
            l = l + F.cross_entropy(scale_cls * e_sk[m] @ P.T, lab_sk[m])
            m = lab_img >= 0
            w_img = args.w_cls if args.w_cls_img is None else args.w_cls_img
            losses['cls'] = args.w_cls * l + w_img * F.cross_entropy(scale_cls * e_img[m] @ P.T, lab_img[m])
        # same-image / same-class masks for negatives
        same_img = T(ib[None, :] == ib[:, None])
        same_cls = (lab_img[None, :] == lab_img[:, None]) & (lab_img[:, None] >= 0)
        eye = torch.eye(len(ib), dtype=torch.bool, device=dev)
        if args.w_x > 0:
            a = e_sk[nq:]
            b_ = e_img  # positives are the first ns+no rows of the image batch
            pl = a @ b_.T / args.tau
            lab_pair = lab_sk[nq:]
            neg = (same_img[:ns + no] | ((lab_img[None, :] == lab_pair[:, None]) & (lab_pair[:, None] >= 0)))
            pos = torch.arange(ns + no, device=dev)
            neg[pos, pos] = False
            pl = pl.masked_fill(neg, -1e4)
            l = F.cross_entropy(pl, pos)
            # image -> sketch direction
            pl2 = b_[:ns + no] @ a.T / args.tau
            same_pair = T(pair_img[None, :] == pair_img[:, None]) & ~torch.eye(ns + no, dtype=torch.bool, device=dev)
            l = l + F.cross_entropy(pl2.masked_fill(same_pair, -1e4), pos)
            losses['x'] = args.w_x * l / 2
        if args.w_rel > 0:
            # images: student vs teacher similarity rows (self excluded)
            m = same_img
            l = rel_kl(e_img @ e_img.T / args.tau, t_img @ t_img.T / args.tau_t, m)
            # sketches: rows against the image batch; teacher row from paired image / class centre
            t_sk = torch.cat([centres[yq], ts_img[:ns + no]])
            ok = torch.cat([has_centre[yq], torch.ones(ns + no, dtype=torch.bool, device=dev)])
            if args.sk_align > 0:  # QuickDraw and Sketchy sketches: mix in the aligned teacher's instance vector
                m_ = args.sk_align
                aq = al_qd[qi]
                has_aq = aq.abs().sum(1) > 0
                tq = torch.where(has_centre[yq][:, None], (1 - m_ * has_aq[:, None].float()) * centres[yq] + m_ * aq, aq)
                ts = (1 - m_) * ts_img[:ns] + m_ * al_sk[T(si)]
                t_sk = F.normalize(torch.cat([tq, ts, ts_img[ns:ns + no]]), dim=1)
                ok = torch.cat([has_centre[yq] | has_aq, torch.ones(ns + no, dtype=torch.bool, device=dev)])
            m_sk = torch.cat([torch.zeros(nq, len(ib), dtype=torch.bool, device=dev), same_img[:ns + no]])
            l = l + rel_kl((e_sk @ e_img.T / args.tau)[ok], (t_sk @ ts_img.T / tau_t_sk)[ok], m_sk[ok])
            losses['rel'] = args.w_rel * l
        if args.w_crd > 0:
            pt = F.normalize(proj_t(t_img), dim=1)
            l = info_nce(e_img, pt, args.tau, same_img & ~eye) + info_nce(pt, e_img, args.tau, same_img & ~eye)
            losses['crd'] = args.w_crd * l / 2
        if args.w_share > 0:  # TCN soft weight sharing (frozen convolutions are equal in both and add nothing)
            losses['share'] = args.w_share * share_penalty(sk_branch.backbone, img_branch.backbone)
        if args.w_l2sp > 0:
            losses['l2sp'] = args.w_l2sp * sum(((c.weight - w0) ** 2).sum() for c, w0 in zip(sk_branch.backbone.convs(), init_w))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 20 == 0:
            print(f'step {step} t={time.time() - t0:.0f}s lr={lr:.2e} ' + ' '.join(f'{k}={v.item():.3f}' for k, v in losses.items()), flush=True)
        if args.eval_every and step % args.eval_every == 0:
            r = evaluate(); r['step'] = step; r['t'] = time.time() - t0
            log.append(r); print('eval', r, flush=True)
        if args.checkpoint_every and step % args.checkpoint_every == 0:
            save_student(sk_branch, img_branch, args, os.path.join(args.out, 'student.pt'),
                         {'step': step, 't': time.time() - t0, 'eval_log': log, 'args': vars(args), 'data': data})
    train_time = time.time() - t0
    r = evaluate(); r['step'] = step; r['t'] = train_time
    log.append(r)
    print('final eval', r, 'train wall time', f'{train_time:.0f}s', flush=True)

    # ---------------- export ----------------
    from .export import export_all
    export_all(sk_branch.cpu(), img_branch.cpu(), args, r, baselines, log, t_start, step, data=data)


if __name__ == '__main__':
    main()
