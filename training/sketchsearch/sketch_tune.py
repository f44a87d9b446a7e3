"""Sketch-side tuning: more doodles for the sketch branch of a trained student, the image side fixed.

/usr/bin/python3 -m sketchsearch.sketch_tune --work WORK --init-from SRC/student.pt --out OUT [--steps 900]

Why: the two cycles of train.py show the sketch branch about half an epoch of the QuickDraw training drawings
(24 per step); a doodle's nearest class is its own for about 0.6 of drawings, while the image side already
places an unfamiliar package's icons well (training/probes/class_snap.py). Here only the sketch branch trains,
against the image embeddings of the exported image encoder (edge stream included), computed once: each step is
a third of train.py's, so the same time shows it several times more drawings.

Losses over one batch of the sketch stream (QuickDraw drawings, Sketchy sketches, icons drawn as doodles or
outlines; the stream of train.py):
  cls   each labelled sketch against the fixed class centres of the image side (normalised mean image
        embedding of the class's training images): a doodle is pulled to where its class's images are
  x     instance InfoNCE: a Sketchy sketch / an icon's doodle against its own image's embedding, a bank of
        random training images as negatives (same-class images masked)
  keep  relation distillation from the starting sketch branch: KL between the new and the old similarity rows
        of the batch against the bank, so what the branch knew of classes it has no centre for (and of classes
        no build trained on) stays
  l2sp  the tuned weights near the starting ones
The image encoder is the start's, its edge stream on the start's sketch weights (student.pt 'edge'), so image
vectors are exactly those the losses saw.
"""
import argparse
import copy
import hashlib
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from .classes import normalize
from .export import branch_of, embedders_of, export_onnx, load_student, out_dim, sizes, write_model_json, write_report
from .prepare import load_u8
from .train import SketchStream, failed_assets, image_labels, python_eval, resolve_device, seed_all, u8_to_tensor

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def image_embeddings(ck, work, path, batch=64):
    """[photos; assets; eval assets] -> the start's image embeddings (first `dim` columns, normalised: the
    part a sketch query ranks by), cached at `path` keyed by the image weights and the pixels."""
    from .prepare import cached, content_key, mark
    h = hashlib.sha1()
    for part in ('image', 'edge' if 'edge' in ck else 'sketch'):
        for k in sorted(ck[part]):
            h.update(k.encode()); h.update(ck[part][k].float().numpy().tobytes())
    key = content_key(*(os.path.join(work, f) for f in ('photos.u8', 'assets.u8', 'eval_assets.u8')), h.hexdigest())
    if cached(path, key):
        return np.load(path)
    cfg = ck['config']
    plain = {**ck, 'config': {**cfg, 'colour_weight': 0.0, 'instance_dims': 0, 'snap_alpha': 0.0}}
    _, img = embedders_of(plain)
    out = []
    t = time.time()
    with torch.no_grad():
        for name in ('photos.u8', 'assets.u8', 'eval_assets.u8'):
            a = load_u8(os.path.join(work, name), mmap=True)
            for i in range(0, len(a), batch):
                out.append(F.normalize(img(u8_to_tensor(np.array(a[i:i + batch])))[:, :cfg['dim']], dim=1).numpy())
    e = np.concatenate(out).astype(np.float32)
    np.save(path, e)
    mark(path, key)
    print(f'image embeddings of {len(e)} images in {time.time() - t:.0f}s', flush=True)
    return e


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--work', required=True)
    ap.add_argument('--init-from', required=True, help='student.pt of a trained v2 student (its image side stays)')
    ap.add_argument('--out', required=True)
    ap.add_argument('--name', required=True)
    ap.add_argument('--steps', type=int, default=900)
    ap.add_argument('--lr', type=float, default=5e-4)
    ap.add_argument('--n-qd', type=int, default=64)
    ap.add_argument('--n-sk', type=int, default=8)
    ap.add_argument('--n-ol', type=int, default=24)
    ap.add_argument('--icon-doodles', type=float, default=0.5)
    ap.add_argument('--n-bank', type=int, default=1024, help='random training images per step: negatives, relation rows')
    ap.add_argument('--freeze-stem', type=int, default=4)
    ap.add_argument('--w-cls', type=float, default=1.0)
    ap.add_argument('--w-x', type=float, default=1.0)
    ap.add_argument('--w-keep', type=float, default=1.0)
    ap.add_argument('--w-l2sp', type=float, default=1e-3)
    ap.add_argument('--scale', type=float, default=16.0, help='cosine scale of the class loss')
    ap.add_argument('--tau', type=float, default=0.1)
    ap.add_argument('--seed', type=int, default=2)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--eval-every', type=int, default=300)
    ap.add_argument('--device', choices=['cpu', 'cuda'], default='cpu')
    ap.add_argument('--workers', type=int, default=1, help='processes drawing the sketch batches')
    args = ap.parse_args(argv)
    t_start = time.time()
    seed_all(args.seed)
    torch.set_num_threads(args.threads)
    dev = resolve_device(args.device)
    work = args.work
    ck = torch.load(args.init_from, map_location='cpu')
    src_model = os.path.join(os.path.dirname(os.path.abspath(args.init_from)), 'model.json')
    src_id = json.load(open(src_model))['id'] if os.path.exists(src_model) else args.init_from  # before OUT = its folder is rewritten
    cfg = ck['config']
    assert cfg.get('arch') == 'v2', f'{args.init_from}: sketch tuning is for v2 students'
    assert not cfg.get('snap_alpha'), 'tune the sketch side of an export without class snapping'
    meta = json.load(open(os.path.join(work, 'meta.json')))
    photos, assets, sketches = meta['photos'], meta['assets'], meta['sketches']
    n_ph, n_as = len(photos), len(assets)
    E = torch.from_numpy(image_embeddings(ck, work, os.path.join(work, 'sketch_tune_images.npy')))
    assert len(E) == n_ph + n_as + len(meta['eval_assets']), 'stale image embeddings'

    # the image pool and labels of train.py
    classes = meta['train_classes']
    cidx = {c: i for i, c in enumerate(classes)}
    bad = failed_assets(work)
    tov = meta.get('train_on_val', False)
    label, ok = image_labels(meta, cidx, bad)
    pool = np.nonzero(ok)[0]
    # the image side's class centres; a class without training images has none (only `keep` moves its drawings)
    lab_t = torch.from_numpy(label)
    cen = torch.zeros(len(classes), E.shape[1])
    m = torch.from_numpy(ok) & (lab_t >= 0)
    cen.index_add_(0, lab_t[m], E[:n_ph + n_as][m])
    has = cen.norm(dim=1) > 0
    cen = F.normalize(cen, dim=1)
    print(f'{int(has.sum())} of {len(classes)} classes with image centres; image pool {len(pool)}', flush=True)

    qd_label = {w: cidx[normalize(w)] for w in meta['qd_classes']}
    sk_idx = np.array([i for i, s in enumerate(sketches) if (not s['val'] or tov) and s['photo'] >= 0])
    sk_label = np.array([cidx.get(normalize(s['cls']), -1) for s in sketches])
    sk_photo = np.array([s['photo'] for s in sketches])
    ol_idx = np.array([i for i in range(n_as) if i not in bad])
    stream = SketchStream(work, args.seed, args.n_qd, args.n_sk, args.n_ol, qd_label, sk_idx, ol_idx, True,
                          icon_doodles=args.icon_doodles)
    loader = iter(torch.utils.data.DataLoader(stream, batch_size=None, num_workers=args.workers,
                                              **({'prefetch_factor': 4} if args.workers > 0 else {})))

    sk = branch_of(ck, 'sketch')
    old = copy.deepcopy(sk).eval()
    for p in old.parameters():
        p.requires_grad_(False)
    sk = sk.to(dev, memory_format=torch.channels_last)
    old = old.to(dev, memory_format=torch.channels_last)
    E, cen, has = E.to(dev), cen.to(dev), has.to(dev)
    blocks = sk.backbone.blocks
    stem = blocks[:args.freeze_stem].eval()
    for p in stem.parameters():
        p.requires_grad_(False)
    init_w = {n: p.detach().clone() for n, p in sk.named_parameters() if p.requires_grad}
    params = [p for p in sk.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=1e-4)

    def forward(branch, h):
        return F.normalize(branch.head(branch.backbone.blocks[args.freeze_stem:](h).mean(dim=(2, 3))), dim=1)

    def embed(x):
        with torch.no_grad():
            h = stem(x.to(dev).contiguous(memory_format=torch.channels_last))
        return forward(sk, h)

    def evaluate():
        """train.py's two measures, the images' vectors those of the fixed image side."""
        sk.eval()
        res = python_eval(work, meta, embed, lambda pv: E[pv], lambda: E[n_ph + n_as:])
        sk.train(); stem.eval()
        return res

    log = []
    r = evaluate(); r['step'] = 0; log.append(r); print('eval', r, flush=True)
    rng = np.random.RandomState(args.seed + 1)
    sk.train(); stem.eval()
    t0 = time.time()
    acc_n = acc_hit = 0
    for step in range(args.steps):
        lr = args.lr * min(1.0, (step + 1) / 50) * 0.5 * (1 + math.cos(math.pi * step / args.steps))
        for g in opt.param_groups:
            g['lr'] = lr
        xs, yq, si, oi, _ = next(loader)
        si, oi = si.numpy(), oi.numpy()
        nq = len(yq)
        y = torch.cat([yq, torch.from_numpy(sk_label[si]), torch.from_numpy(label[n_ph + oi])]).to(dev)
        with torch.no_grad():
            h = stem(xs.to(dev).contiguous(memory_format=torch.channels_last))
            e_old = forward(old, h)
        e = forward(sk, h)
        pair = np.concatenate([sk_photo[si], n_ph + oi])  # the paired image of each non-QuickDraw sketch
        bank = np.concatenate([pair, rng.choice(pool, args.n_bank)])
        B = E[torch.from_numpy(bank).to(dev)]
        lb = torch.from_numpy(label[bank]).to(dev)
        losses = {}
        m = (y >= 0) & has[y.clamp_min(0)]
        if args.w_cls > 0 and m.any():
            logits = args.scale * e[m] @ cen.T
            logits = logits.masked_fill(~has[None, :], -1e4)
            losses['cls'] = args.w_cls * F.cross_entropy(logits, y[m])
            with torch.no_grad():
                acc_hit += int((logits.argmax(1) == y[m]).sum()); acc_n += int(m.sum())
        if args.w_x > 0:
            a = e[nq:]
            pos = torch.arange(len(pair), device=dev)
            neg = torch.from_numpy(bank[None, :] == pair[:, None]).to(dev) | ((lb[None, :] == y[nq:, None]) & (y[nq:, None] >= 0))
            neg[pos, pos] = False
            losses['x'] = args.w_x * F.cross_entropy((a @ B.T / args.tau).masked_fill(neg, -1e4), pos)
        if args.w_keep > 0:
            losses['keep'] = args.w_keep * F.kl_div(F.log_softmax(e @ B.T / args.tau, 1), F.log_softmax(e_old @ B.T / args.tau, 1),
                                                    log_target=True, reduction='batchmean')
        if args.w_l2sp > 0:
            losses['l2sp'] = args.w_l2sp * sum(((p - init_w[n]) ** 2).sum() for n, p in sk.named_parameters() if p.requires_grad
                                               and p.dim() > 1)
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
        if (step + 1) % 20 == 0:
            print(f'step {step + 1} t={time.time() - t0:.0f}s lr={lr:.2e} train-acc={acc_hit / max(acc_n, 1):.3f} '
                  + ' '.join(f'{k}={v.item():.3f}' for k, v in losses.items()), flush=True)
            acc_n = acc_hit = 0
        if args.eval_every and (step + 1) % args.eval_every == 0 and step + 1 < args.steps:
            r = evaluate(); r['step'] = step + 1; r['t'] = time.time() - t0; log.append(r); print('eval', r, flush=True)
    train_time = time.time() - t0
    r = evaluate(); r['step'] = args.steps; r['t'] = train_time; log.append(r)
    print('final eval', r, f'train wall time {train_time:.0f}s', flush=True)

    # export: the tuned sketch branch; the image branch, its edge stream's weights and its blocks as they were
    sk = sk.cpu().to(memory_format=torch.contiguous_format).eval()
    out_ck = {k: v for k, v in ck.items() if k not in ('checkpoint', 'snap')}
    out_ck['edge'] = ck.get('edge', ck['sketch'])
    out_ck['sketch'] = {k: v.detach().contiguous().half() for k, v in sk.state_dict().items()}
    out_ck['config'] = {**cfg, 'sketch_tune': {'from': args.init_from, 'steps': args.steps}}
    os.makedirs(args.out, exist_ok=True)
    torch.save(out_ck, os.path.join(args.out, 'student.pt'))
    sk_emb, img_emb = load_student(os.path.join(args.out, 'student.pt'))
    export_onnx(sk_emb, os.path.join(args.out, 'sketch_encoder.onnx'))
    export_onnx(img_emb, os.path.join(args.out, 'image_encoder.onnx'))
    mid = write_model_json(args.out, args.name, out_dim(out_ck['config']))
    src_dir = os.path.dirname(os.path.abspath(args.init_from))
    before = next((f for f in (os.path.join(src_dir, 'train_report.json'), os.path.join(REPO, 'training', 'reports', f'{src_id}.json'))
                   if os.path.exists(f)), None)  # the report of the training it continues, kept whole
    report = {'id': mid, 'sketch_tune': {'from': src_id, 'args': vars(args)},
              'before_sketch_tune': json.load(open(before)) if before else None,
              'steps': args.steps, 'train_wall_s': train_time, 'total_wall_s': time.time() - t_start,
              'final_python_eval': r, 'eval_log': log, **sizes(args.out, sk_emb, img_emb)}
    write_report(args.out, report)
    print('exported', mid, flush=True)
    return report


if __name__ == '__main__':
    main()
