"""train.py end to end on a tiny synthetic work folder (what prepare writes, made up): a few steps of
each architecture, then the export. Guards the training paths CI cannot afford to run for real
(v1: the shipped MobileNetV1 students; v2: the same-size MobileNetV2 student with restored batch
norm, cached frozen image blocks, soft weight sharing and icon doodles)."""
import gzip
import json
import os
import shutil
import sys
import tempfile
import unittest

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'training'))
TEACHER_DIR = os.path.join(ROOT, '..', 'shared', 'models', 'teacher')
HAVE = os.path.exists(os.path.join(TEACHER_DIR, 'mobilenet_v2_1.0_224_quant.torchscript.pt'))


def u8(path, n, rng):
    x = (rng.rand(n, 8, 8, 3) * 255).astype(np.uint8).repeat(16, 1).repeat(16, 2)  # blocky 128x128 images
    x.tofile(path)
    json.dump({'failed': []}, open(path + '.json', 'w'))


def make_work(work, rng, more_sets=False):
    classes = ['cat', 'cup', 'key']
    photos = [{'cls': c, 'id': f'{c}{i}', 'path': '', 'val': i == 2} for c in classes for i in range(3)]
    sketches = [{'cls': c, 'path': '', 'photo': k, 'val': p['val']} for k, (c, p) in enumerate(zip([p['cls'] for p in photos], photos))]
    assets = [{'set': 'twemoji', 'name': f'{c}-{i}', 'licence': 'CC-BY-4.0', 'kind': 'emoji', 'label': c} for c in classes for i in range(3)]
    if more_sets:  # two icons of another package, for --skip-sets
        assets += [{'set': 'bx', 'name': f'bx-{c}', 'licence': 'MIT', 'kind': 'icon', 'label': c} for c in classes[:2]]
    eval_assets = [{'set': 'twemoji', 'name': 'x', 'cls': 'bus'}, {'set': 'twemoji', 'name': 'y', 'cls': 'tree'}]
    meta = {'sketchy_val': [], 'sketchy_train': classes, 'qd_classes': classes, 'photos': photos, 'sketches': sketches,
            'assets': assets, 'eval_assets': eval_assets, 'qd_eval_classes': ['bus', 'tree', 'bus'], 'train_classes': classes}
    json.dump(meta, open(os.path.join(work, 'meta.json'), 'w'))
    line = lambda k: [[[0, 50 + 40 * k, 255], [0, 200, 30 * k]]]  # noqa: E731
    with gzip.open(os.path.join(work, 'qd_train.json.gz'), 'wt') as f:
        json.dump([[c, line(k), str(k * 11 + 1)] for k, c in enumerate(classes * 4)], f)
    with gzip.open(os.path.join(work, 'icon_strokes.json.gz'), 'wt') as f:
        json.dump([line(k) if k % 2 else [] for k in range(len(assets))], f)
    for name, n in [('photos', len(photos)), ('sketches', len(sketches)), ('assets', len(assets)), ('outlines', len(assets)),
                    ('outlines_w', len(assets)), ('eval_assets', len(eval_assets))]:
        u8(os.path.join(work, name + '.u8'), n, rng)
    np.save(os.path.join(work, 'qd_eval_tensors.npy'), rng.rand(3, 3, 128, 128).astype(np.float32) * 2 - 1)
    np.save(os.path.join(work, 'teacher_photos.npy'), rng.rand(len(photos), 1280).astype(np.float32))
    np.save(os.path.join(work, 'teacher_assets.npy'), rng.rand(len(assets), 1280).astype(np.float32))


@unittest.skipUnless(HAVE, f'needs the teacher in {TEACHER_DIR}')
class TestTrainSmoke(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix='sks-train-')
        make_work(self.work, np.random.RandomState(0))

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def train(self, *extra):
        from sketchsearch import train
        out = os.path.join(self.work, 'out')
        train.main(['--work', self.work, '--out', out, '--teacher-dir', TEACHER_DIR, '--schedule-steps', '2', '--eval-every', '0',
                    '--n-qd', '4', '--n-sk', '2', '--n-ol', '4', '--n-img', '12', '--dim', '32', '--name', 'smoke', *extra])
        report = json.load(open(os.path.join(out, 'train_report.json')))
        self.assertEqual(report['steps'], 2)
        for f in ('sketch_encoder.onnx', 'image_encoder.onnx', 'student.pt', 'model.json'):
            self.assertTrue(os.path.getsize(os.path.join(out, f)) > 0, f)
        return out, report

    def test_v1(self):
        self.train('--freeze-stem', '7')

    def test_v2_same_size_student(self):
        import torch
        out, report = self.train('--arch', 'v2', '--w-share', '1e-3', '--icon-doodles', '0.5', '--freeze-stem', '4',
                                 '--image-freeze', '11', '--bn-calib', '8')
        self.assertGreater(report['params']['image'], 2_000_000)  # the teacher's size, not a fifth of it
        self.assertEqual(torch.load(os.path.join(out, 'student.pt'))['config']['arch'], 'v2')
        from sketchsearch.export import load_student
        sk, im = load_student(os.path.join(out, 'student.pt'))
        with torch.no_grad():
            z = im(torch.zeros(2, 3, 128, 128))
        self.assertEqual(tuple(z.shape), (2, 32))

    def test_v2_reexport_in_place(self):
        """export.py SRC SRC re-exports a trained model in place with another export-time option (here the edge
        stream): same weights, the image encoder gains the sketch branch on the image's edge drawing, the sketch
        encoder is unchanged, and the report says what it was exported from."""
        import torch
        from sketchsearch.export import load_student, reexport
        from sketchsearch.model import edge_drawing
        out, _ = self.train('--arch', 'v2', '--freeze-stem', '4', '--image-freeze', '11', '--bn-calib', '8')
        before = json.load(open(os.path.join(out, 'model.json')))['id']
        sketch = open(os.path.join(out, 'sketch_encoder.onnx'), 'rb').read()
        x = torch.rand(2, 3, 128, 128, generator=torch.Generator().manual_seed(1)) * 2 - 1
        with torch.no_grad():
            plain = load_student(os.path.join(out, 'student.pt'))[1](x)
        report = reexport(out, out, 'smoke', edge_mix=0.85)
        after = json.load(open(os.path.join(out, 'model.json')))['id']
        self.assertNotEqual(after, before)
        self.assertEqual(report['reexport']['from'], before)
        self.assertEqual(json.load(open(os.path.join(out, 'train_report.json')))['id'], after)
        self.assertEqual(open(os.path.join(out, 'sketch_encoder.onnx'), 'rb').read(), sketch)
        sk, im = load_student(os.path.join(out, 'student.pt'))
        self.assertEqual(im.edge_mix, 0.85)
        self.assertIs(im.edge_branch.head.__class__, sk.branch.head.__class__)
        with torch.no_grad():
            mixed = im(x)
            edge = torch.nn.functional.normalize(im.edge_branch.head(im.edge_branch.backbone(edge_drawing(x, im.edge_thr))), dim=1)
        want = torch.nn.functional.normalize(0.85 * plain + 0.15 * edge, dim=1)
        self.assertLess(float((mixed - want).abs().max()), 1e-5)
        self.assertGreater(float((mixed - plain).abs().max()), 1e-3)

    def test_v2_exports_the_edge_stream_itself(self):
        """train.py given the export-time options (recipe.sh V2_EXPORT, as train.sh and device_train.sh pass them)
        exports the image encoder with the edge stream at that size, once: the embedding is the mix of the image
        branch and the sketch branch on the resized edge drawing, and student.pt records it (export.py --finish)."""
        import torch
        from sketchsearch.export import load_student
        from sketchsearch.model import edge_view
        out, report = self.train('--arch', 'v2', '--freeze-stem', '4', '--image-freeze', '11', '--bn-calib', '8',
                                 '--edge-mix', '0.85', '--edge-size', '96')
        self.assertNotIn('reexport', report)
        cfg = torch.load(os.path.join(out, 'student.pt'))['config']
        self.assertEqual((cfg['edge_mix'], cfg['edge_size']), (0.85, 96))
        sk, im = load_student(os.path.join(out, 'student.pt'))
        self.assertEqual(im.edge_size, 96)
        x = torch.rand(2, 3, 128, 128, generator=torch.Generator().manual_seed(1)) * 2 - 1
        n = torch.nn.functional.normalize
        with torch.no_grad():
            plain = n(im.branch.head(im.branch.backbone(x)), dim=1)
            d = edge_view(x, im.edge_thr, 0, 96)
            self.assertEqual(tuple(d.shape[-2:]), (96, 96))
            edge = n(sk.branch.head(sk.branch.backbone(d)), dim=1)
            self.assertLess(float((im(x) - n(0.85 * plain + 0.15 * edge, dim=1)).abs().max()), 1e-5)
        self.assertGreater(report['macs']['image'], report['macs']['sketch'] // 2 * 1.2)  # the stream is in the graph

    def test_v2_image_to_image_blocks(self):
        """--colour-weight / --instance-dims (export only): the image encoder appends a colour histogram and the image
        branch's pooled features on a PCA basis fitted on the work folder's training assets; the sketch encoder
        appends zeros, so a sketch query ranks images exactly as without the blocks (a blank white image too),
        while image -> image similarity is (e.e' + wc c.c' + wi p.p') / (1 + wc + wi)."""
        import torch
        from sketchsearch.export import load_student
        from sketchsearch.model import colour_histogram
        v2 = ('--arch', 'v2', '--freeze-stem', '4', '--image-freeze', '11', '--bn-calib', '8')
        out, _ = self.train(*v2, '--colour-weight', '0.3', '--instance-dims', '4', '--instance-weight', '0.5', '--instance-whiten', '0.5')
        self.assertEqual(json.load(open(os.path.join(out, 'model.json')))['dim'], 32 + 15 + 4)
        ck = torch.load(os.path.join(out, 'student.pt'))
        self.assertEqual(tuple(ck['instance']['basis'].shape), (1280, 4))
        fitted = ck['instance']['fitted_on']['work']  # the training work folder, repo-relative (no machine's path)
        self.assertEqual(os.path.realpath(os.path.join(ROOT, fitted)), os.path.realpath(self.work))
        sk, im = load_student(os.path.join(out, 'student.pt'))
        g = torch.Generator().manual_seed(2)
        imgs = torch.rand(5, 3, 128, 128, generator=g) * 2 - 1
        imgs[4] = 1.0  # blank white
        sketches = torch.rand(3, 3, 128, 128, generator=g) * 2 - 1
        with torch.no_grad():
            zi, zs = im(imgs), sk(sketches)
            f = im.branch.backbone(imgs)
            e = torch.nn.functional.normalize(im.branch.head(f), dim=1)
            c = colour_histogram(imgs, 12)
            p = torch.nn.functional.normalize((torch.sqrt(f.clamp_min(0)) - im.inst_mean) @ im.inst_basis, dim=1)
            plain_sk = torch.nn.functional.normalize(sk.branch.head(sk.branch.backbone(sketches)), dim=1)
        self.assertEqual(tuple(zi.shape), (5, 51))
        self.assertTrue(torch.allclose(zi.norm(dim=1), torch.ones(5), atol=1e-5))
        self.assertTrue(bool((zs[:, 32:] == 0).all()))
        self.assertTrue(torch.allclose(zs[:, :32], plain_sk, atol=1e-5))  # the sketch embedding itself is untouched
        self.assertTrue(torch.allclose(zs @ zi.T, (plain_sk @ e.T) / 1.8 ** 0.5, atol=1e-5))  # one scale for every image
        want = (e @ e.T + 0.3 * c @ c.T + 0.5 * p @ p.T) / 1.8
        self.assertTrue(torch.allclose(zi @ zi.T, want, atol=1e-5))

    def test_v2_class_snapping(self):
        """--snap-alpha A --snap-temp T (export only): both encoders map their embedding e to normalise(e + A softmax(e P'/T) P),
        P one prototype per training class of the work folder: the normalised sum of the normalised mean sketch embedding
        of its QuickDraw training drawings and of the normalised mean image embedding of its labelled icons. The image ->
        image blocks after e are untouched. A re-export refits P from WORK, keeps the instance basis it already has, and
        without snapping gives the plain encoders back."""
        import gzip
        import torch
        from sketchsearch.export import embedders_of, load_student, reexport
        from sketchsearch.preprocess import quickdraw_to_strokes, sketch_tensor
        n = torch.nn.functional.normalize
        v2 = ('--arch', 'v2', '--freeze-stem', '4', '--image-freeze', '11', '--bn-calib', '8')
        out, _ = self.train(*v2, '--instance-dims', '4', '--instance-weight', '0.5', '--snap-alpha', '0.5', '--snap-temp', '0.03')
        ck = torch.load(os.path.join(out, 'student.pt'))
        self.assertEqual(ck['snap']['classes'], ['cat', 'cup', 'key'])
        self.assertEqual(tuple(ck['snap']['protos'].shape), (3, 32))
        self.assertEqual(ck['snap']['fitted_on']['icons'], 9)
        self.assertEqual(os.path.realpath(os.path.join(ROOT, ck['snap']['fitted_on']['work'])), os.path.realpath(self.work))
        sk, im = load_student(os.path.join(out, 'student.pt'))
        psk, pim = embedders_of({**ck, 'config': {**ck['config'], 'snap_alpha': 0.0}})
        self.assertEqual(psk.snap_alpha, 0.0)
        # the prototype of 'cup' from its drawings and icons, by hand
        with gzip.open(os.path.join(self.work, 'qd_train.json.gz'), 'rt') as f:
            cups = [d for w, d, _ in json.load(f) if w == 'cup']
        meta = json.load(open(os.path.join(self.work, 'meta.json')))
        from sketchsearch.prepare import load_u8
        rows = [i for i, a in enumerate(meta['assets']) if a['label'] == 'cup']
        icons = torch.from_numpy(np.array(load_u8(os.path.join(self.work, 'assets.u8'))[rows])).permute(0, 3, 1, 2).float() / 127.5 - 1
        with torch.no_grad():
            ms = n(n(psk(torch.from_numpy(np.stack([sketch_tensor(quickdraw_to_strokes(d)) for d in cups])))[:, :32], dim=1).mean(0), dim=0)
            mi = n(n(pim(icons)[:, :32], dim=1).mean(0), dim=0)
        self.assertTrue(torch.allclose(ck['snap']['protos'][1], n(ms + mi, dim=0), atol=1e-4))
        P = ck['snap']['protos']
        g = torch.Generator().manual_seed(3)
        imgs, sketches = torch.rand(4, 3, 128, 128, generator=g) * 2 - 1, torch.rand(3, 3, 128, 128, generator=g) * 2 - 1
        snap = lambda e: n(e + 0.5 * torch.softmax(e @ P.T / 0.03, dim=1) @ P, dim=1)  # noqa: E731
        with torch.no_grad():
            zs, zi, ps, pi = sk(sketches), im(imgs), psk(sketches), pim(imgs)
        self.assertTrue(torch.allclose(zs[:, :32], snap(ps[:, :32]), atol=1e-5))
        self.assertTrue(bool((zs[:, 32:] == 0).all()))
        scale = pi[:, :32].norm(dim=1, keepdim=True)  # [e; sqrt(wi) p] / sqrt(1 + wi): e's share of the norm
        self.assertTrue(torch.allclose(zi[:, :32], snap(pi[:, :32] / scale) * scale, atol=1e-5))
        self.assertTrue(torch.allclose(zi[:, 32:], pi[:, 32:], atol=1e-6))  # the instance block is not snapped
        self.assertGreater(float((zs[:, :32] - ps[:, :32]).abs().max()), 1e-3)
        # re-export: prototypes refitted from WORK, the instance basis kept; without snapping, the plain encoders
        with self.assertRaises(SystemExit):
            reexport(out, os.path.join(self.work, 'nowork'), 'smoke', snap_alpha=0.5)
        basis = ck['instance']['basis'].clone()
        plain_out = os.path.join(self.work, 'plain')
        reexport(out, plain_out, 'smoke', work=self.work, snap_alpha=0.0)
        ck2 = torch.load(os.path.join(plain_out, 'student.pt'))
        self.assertNotIn('snap', ck2)
        self.assertTrue(torch.equal(ck2['instance']['basis'], basis))
        with torch.no_grad():
            self.assertTrue(torch.allclose(load_student(os.path.join(plain_out, 'student.pt'))[0](sketches), ps, atol=1e-6))
        torch.save({**ck2, 'config': {**ck2['config'], 'snap_alpha': 0.5}}, os.path.join(plain_out, 'student.pt'))
        with self.assertRaisesRegex(ValueError, 'no class prototypes'):
            load_student(os.path.join(plain_out, 'student.pt'))
        # the gates: a "no class" at cosine g joins each encoder's softmax; above every cosine it all but stops snapping
        gated = embedders_of({**ck, 'config': {**ck['config'], 'snap_gate_sketch': 0.2, 'snap_gate_image': 1.0}})
        e = ps[:, :32]
        cos = torch.cat([e @ P.T, torch.full((len(e), 1), 0.2)], dim=1)
        want = n(e + 0.5 * torch.softmax(cos / 0.03, dim=1)[:, :3] @ P, dim=1)
        with torch.no_grad():
            self.assertTrue(torch.allclose(gated[0](sketches)[:, :32], want, atol=1e-5))
            self.assertTrue(torch.allclose(gated[1](imgs), pi, atol=1e-4))  # every cosine < 1: the image encoder barely moves

    def test_finish_fits_what_a_checkpoint_lacks(self):
        """export.py --finish on a training checkpoint (no basis, no prototypes): both fitted on the work folder the
        checkpoint names, as the training's own export fits them; a checkpoint naming none is refused."""
        import torch
        from sketchsearch.export import finish
        v2 = ('--arch', 'v2', '--freeze-stem', '4', '--image-freeze', '11', '--bn-calib', '8')
        out, _ = self.train(*v2, '--instance-dims', '4', '--instance-weight', '0.5', '--snap-alpha', '0.5')
        full = torch.load(os.path.join(out, 'student.pt'))
        bare = {k: v for k, v in full.items() if k not in ('instance', 'snap')}
        torch.save({**bare, 'checkpoint': {'step': 2, 'args': {}}}, os.path.join(out, 'student.pt'))
        with self.assertRaises(SystemExit):
            finish(out, 'smoke')
        torch.save({**bare, 'checkpoint': {'step': 2, 'args': {'work': self.work}}}, os.path.join(out, 'student.pt'))
        finish(out, 'smoke')
        ck = torch.load(os.path.join(out, 'student.pt'))
        a, b = ck['instance']['basis'], full['instance']['basis']  # the same directions (from the fp16 state, not the live branch)
        n = torch.nn.functional.normalize
        self.assertGreater(float((n(a, dim=0) * n(b, dim=0)).sum(0).min()), 0.999)
        self.assertEqual(ck['snap']['classes'], full['snap']['classes'])
        self.assertTrue(torch.allclose(ck['snap']['protos'], full['snap']['protos'], atol=1e-4))

    def test_instance_basis_whitening(self):
        """fit_instance: the top principal directions of the work folder's training assets' square-rooted pooled
        features; whiten w divides each by its standard deviation ** w, so w = 1 gives projections of unit variance."""
        import numpy as np
        import torch
        from sketchsearch.export import fit_instance
        from sketchsearch.mobilenet_v2 import V2Branch
        from sketchsearch.prepare import load_u8
        torch.manual_seed(0)
        br = V2Branch(32).eval()
        plain, full = fit_instance(br, self.work, 3), fit_instance(br, self.work, 3, whiten=1.0)
        self.assertEqual(plain['fitted_on']['n'], 9)  # every asset of the tiny work folder, nothing else
        a = torch.from_numpy(np.array(load_u8(os.path.join(self.work, 'assets.u8')))).permute(0, 3, 1, 2).float() / 127.5 - 1
        with torch.no_grad():
            f = torch.sqrt(br.backbone(a).clamp_min(0))
        proj = (f - full['mean']) @ full['basis']
        self.assertTrue(torch.allclose(proj.pow(2).mean(0), torch.ones(3), atol=1e-3))
        pn = plain['basis'].norm(dim=0)
        self.assertTrue(torch.allclose(pn, torch.ones(3), atol=1e-4))  # orthonormal directions without whitening
        self.assertTrue(torch.allclose(full['basis'] / full['basis'].norm(dim=0), plain['basis'], atol=1e-4))  # same directions

    def test_colour_histogram(self):
        from sketchsearch.model import colour_histogram
        import torch
        x = torch.ones(4, 3, 128, 128)  # white
        x[0, 1:] = -1  # red
        x[1, :2] = -1  # blue
        x[2] = -1  # black
        h = colour_histogram(x, 12)
        self.assertEqual(tuple(h.shape), (4, 15))
        self.assertTrue(torch.allclose(h.norm(dim=1), torch.ones(4)))
        self.assertEqual([int(v.argmax()) for v in h], [0, 8, 12, 14])  # red hue bin, blue hue bin, black, blank
        y = x[:1].clone()
        y[:, :, :64] = 1  # half red, half white: white is not counted
        self.assertTrue(torch.allclose(colour_histogram(y, 12), h[:1]))

    def test_v2_warm_start(self):
        """--init-from loads both branches of a student.pt (a warm restart): with lr 0 the trained weights come
        back as they were (batch norm statistics aside, which train mode updates); a v1 student.pt is refused."""
        import torch
        v2 = ('--arch', 'v2', '--freeze-stem', '4', '--image-freeze', '11', '--bn-calib', '8')
        out, _ = self.train(*v2, '--lr', '5e-2')
        first = os.path.join(self.work, 'first.pt')
        shutil.copy(os.path.join(out, 'student.pt'), first)
        _, report = self.train(*v2, '--lr', '0', '--init-from', first, '--data-seed', '3')
        self.assertEqual(report['args']['init_from'], first)
        a, b = torch.load(first), torch.load(os.path.join(out, 'student.pt'))
        teacher, _ = self.train(*v2, '--lr', '0', '--data-seed', '3')  # the same run without the warm start
        c = torch.load(os.path.join(teacher, 'student.pt'))
        for k in ('sketch', 'image'):
            weights = [n for n in a[k] if n.endswith('weight')]
            self.assertTrue(all(torch.equal(a[k][n], b[k][n]) for n in weights), k)
            self.assertFalse(all(torch.equal(a[k][n], c[k][n]) for n in weights), k)  # lr 5e-2 moved them
        # batch norm restored from another pick of images (another seed here; a folder with more icon packages in
        # practice) would give other frozen blocks: the warm restart keeps the checkpoint's, and the trunk features
        # are cached under them, beside the seed's own
        cached = set(os.listdir(self.work))
        self.train(*v2, '--lr', '0', '--init-from', first, '--seed', '5')
        d = torch.load(os.path.join(self.work, 'out', 'student.pt'))
        frozen = [n for n in a['image'] if n.startswith('backbone.blocks.') and int(n.split('.')[2]) < 11]
        self.assertTrue(frozen and all(torch.equal(a['image'][n], d['image'][n]) for n in frozen))
        self.assertTrue(all(torch.equal(a['sketch'][n], d['sketch'][n]) for n in a['sketch'] if n.endswith('weight')))
        self.assertIn('imgfeat_v2_b11_s5.npy', set(os.listdir(self.work)) - cached)
        plain, _ = self.train(*v2, '--lr', '0', '--seed', '5')  # its cache key differs: the features are recomputed
        e = torch.load(os.path.join(plain, 'student.pt'))
        self.assertFalse(all(torch.equal(a['image'][n], e['image'][n]) for n in frozen))  # seed 5's own blocks differ
        v1, _ = self.train('--freeze-stem', '7')
        shutil.copy(os.path.join(v1, 'student.pt'), first)
        with self.assertRaises(AssertionError):
            self.train(*v2, '--init-from', first)

    def test_sketch_tune(self):
        """sketch_tune.py trains the sketch branch of a student.pt alone: the image encoder (its edge stream on the
        start's sketch weights, student.pt 'edge') embeds every image exactly as the start's did, so the image
        vectors the losses saw, and those of an index, stay valid; a second tuning keeps the first start's edge."""
        import torch
        from sketchsearch import sketch_tune
        from sketchsearch.export import load_student
        out, _ = self.train('--arch', 'v2', '--freeze-stem', '4', '--image-freeze', '11', '--bn-calib', '8',
                            '--edge-mix', '0.85', '--edge-size', '96', '--colour-weight', '0.3', '--instance-dims', '8',
                            '--instance-weight', '2')
        first = os.path.join(self.work, 'first.pt')
        shutil.copy(os.path.join(out, 'student.pt'), first)

        def tune(src, dst):
            report = sketch_tune.main(['--work', self.work, '--init-from', src, '--out', dst, '--name', 'tuned', '--steps', '2',
                                       '--eval-every', '0', '--n-qd', '4', '--n-sk', '2', '--n-ol', '4', '--n-bank', '8',
                                       '--lr', '5e-2', '--threads', '1'])
            self.assertEqual(report['steps'], 2)
            for f in ('sketch_encoder.onnx', 'image_encoder.onnx', 'student.pt', 'model.json'):
                self.assertTrue(os.path.getsize(os.path.join(dst, f)) > 0, f)
            return torch.load(os.path.join(dst, 'student.pt'))
        a = torch.load(first)
        b = tune(first, os.path.join(self.work, 'tuned'))
        self.assertTrue(all(torch.equal(a['sketch'][n], b['edge'][n]) for n in a['sketch']))
        self.assertTrue(all(torch.equal(a['image'][n], b['image'][n]) for n in a['image']))
        self.assertFalse(all(torch.equal(a['sketch'][n], b['sketch'][n]) for n in a['sketch'] if n.endswith('weight')))
        x = torch.rand(3, 3, 128, 128, generator=torch.Generator().manual_seed(2)) * 2 - 1
        sk0, im0 = load_student(first)
        sk1, im1 = load_student(os.path.join(self.work, 'tuned', 'student.pt'))
        with torch.no_grad():
            self.assertTrue(torch.equal(im0(x), im1(x)))
            self.assertGreater(float((sk0(x) - sk1(x)).abs().max()), 1e-4)
        c = tune(os.path.join(self.work, 'tuned', 'student.pt'), os.path.join(self.work, 'tuned2'))
        self.assertTrue(all(torch.equal(a['sketch'][n], c['edge'][n]) for n in a['sketch']))
        with torch.no_grad():
            self.assertTrue(torch.equal(im0(x), load_student(os.path.join(self.work, 'tuned2', 'student.pt'))[1](x)))

    def test_skip_sets(self):
        """--skip-sets leaves a package's icons out of the image pool and the outline stream (the --more-icons
        ablation trains both arms on one work folder); a package the folder does not hold is refused."""
        import contextlib
        import io
        shutil.rmtree(self.work)
        os.makedirs(self.work)
        make_work(self.work, np.random.RandomState(0), more_sets=True)
        v2 = ('--arch', 'v2', '--freeze-stem', '4', '--image-freeze', '11', '--bn-calib', '8')
        pools = {}
        for skip in ('', 'bx'):
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                _, report = self.train(*v2, '--skip-sets', skip)
            self.assertEqual(report['args']['skip_sets'], skip)
            pools[skip] = int(buf.getvalue().split('image pool ')[1].split()[0])
        self.assertEqual(pools[''] - pools['bx'], 2)
        with self.assertRaises(AssertionError):
            self.train(*v2, '--skip-sets', 'streamline')


if __name__ == '__main__':
    unittest.main()
