#!/usr/bin/env python
"""How much category information FMC's rendering leaves: one network, trained the same way on versions of the same garments.

The tagger's category bar (>= 90 % on held-out FMC) is judged on Fashion-MNIST garments that FMC re-drew: placed at a random
size (36-60 px) and position on a 64 px canvas, shaded, painted with a colour and a pattern, and put on a background. This script
trains the same from-scratch CNN (about 0.29 M parameters, 32x32 input, flips and shifts, label smoothing, one-cycle AdamW,
flip-averaged at test) on the 36,000 Fashion-MNIST training garments of FMC's six categories and tests it on the 6,000 t10k
garments (FMC's `test` split), in five conditions:

  clean   the original grey 28x28 images (padded to 32)
  placed  the grey images placed exactly as FMC places them (same random size and position), no paint, 64 -> 32 px
  solid   FMC's own rendering (same placement, shading, colour, background) with every pattern replaced by 'solid', 64 -> 32 px
  fmc     the FMC images themselves (data/processed), 64 -> 32 px
  rerender  tested like fmc, but every epoch after the first trains on the same training garments rendered again by FMC's
          renderer with a new seed (new size, position, colour, pattern, background): the same garments, more renders

The drop from `clean` to `fmc` is the category information the rendering removes, for a model of this size and schedule.
`--model lite0` trains the tagger's own network (EfficientNet-Lite0 with ImageNet weights at 80 px, category head only) instead.
It prints per-condition accuracy and per-category recall and writes them as JSON.

  python benchmarks/tagger_ceiling.py                        # the small CNN, all five, 8 epochs each (about 50 min on 2 cores)
  python benchmarks/tagger_ceiling.py --model lite0 --conditions placed fmc     # 3 epochs each (about 30 min)
  python benchmarks/tagger_ceiling.py --conditions clean fmc --epochs 2
"""
import argparse, json, sys, time
from pathlib import Path
import numpy as np

CONDITIONS = ('clean', 'placed', 'solid', 'fmc', 'rerender')

def load(condition, data, res=32):
    "(x_train, y_train, x_test, y_test, category names) for one condition; x float 0-1, N x C x res x res. An int: (x_train, y_train, names), FMC rendered with that seed."
    import torch
    from PIL import Image
    from fashion_reuse.data.fmc import load_fashion_mnist, FMC_CATEGORIES, PARTS, place_garment, render_fmc, garment_rng
    classes = sorted(FMC_CATEGORIES)
    names = [FMC_CATEGORIES[c][0] for c in classes]
    if condition in ('fmc', 'rerender'):
        from fashion_reuse.models.tagger import split_records
        cat = {FMC_CATEGORIES[c][0]: i for i, c in enumerate(classes)}
        def part(splits):
            rs = [r for s in splits for r in split_records(data, s)]
            x = np.stack([np.asarray(Image.open(Path(data)/r['image_path']).convert('RGB').resize((res, res), Image.BILINEAR)) for r in rs])
            return torch.tensor(x).permute(0, 3, 1, 2).float() / 255, torch.tensor([cat[r['category']] for r in rs])
        return (*part(('train', 'val')), *part(('test',)), names)
    fm = load_fashion_mnist()
    seed = condition if isinstance(condition, int) else 0  # the FMC builder's own random streams (seed 0, as in fmc.json)
    small = lambda a: np.asarray(Image.fromarray(a).resize((res, res), Image.BILINEAR))
    out = []
    for p in PARTS[:1] if isinstance(condition, int) else PARTS:  # fresh renders are for training only
        x, y, origin = fm[p]
        keep = np.isin(y, classes)
        x, y, origin = x[keep], y[keep], origin[keep]
        if condition == 'clean': xs = np.pad(x, ((0, 0), (2, 2), (2, 2)))[..., None]
        # render_fmc's first draw is place_garment's, so these sit exactly where FMC's garments are (tests/test_benchmark_contracts.py)
        elif condition == 'placed': xs = np.stack([small(np.uint8(np.rint(255 * place_garment(g, garment_rng(seed, p, o))[0]))) for g, o in zip(x, origin)])[..., None]
        else: xs = np.stack([small(render_fmc(g, garment_rng(seed, p, o), pattern='solid' if condition == 'solid' else None)['image']) for g, o in zip(x, origin)])
        out += [torch.tensor(xs.astype(np.float32) / 255).permute(0, 3, 1, 2), torch.tensor([classes.index(int(v)) for v in y])]
    return (*out, names)

MODELS = {'cnn': 'small CNN from scratch (0.29 M parameters), 32 px input, batch 128, one-cycle AdamW to 4e-3',
          'lite0': "the tagger's network: EfficientNet-Lite0 with ImageNet weights, 64 px images resized to 80 px, stem + 3 blocks frozen, "
                   'category head only, batch 64, one-cycle AdamW to 1e-3'}

def build(model, channels, n_classes):
    "(network returning logits, input transform, batch size, peak learning rate)."
    import torch.nn as nn
    if model == 'lite0':
        from fashion_reuse.models.tagger import build_tagger_net, set_backbone_trainable
        net = set_backbone_trainable(build_tagger_net({'category': [str(i) for i in range(n_classes)]}, resolution=80), True, 3)
        class Logits(nn.Module):  # TaggerNet returns {head: logits}
            def __init__(self, m): super().__init__(); self.m = m
            def forward(self, x): return self.m(x)['category']
        return Logits(net), (lambda x: x.expand(-1, 3, -1, -1)), 64, 1e-3  # TaggerNet scales [0, 1] images itself
    def block(i, o): return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(),
                                          nn.Conv2d(o, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU())
    net = nn.Sequential(block(channels, 32), nn.MaxPool2d(2), block(32, 64), nn.MaxPool2d(2), block(64, 128),
                        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(128, n_classes))
    return net, None, 128, 4e-3

def run(condition, data, epochs, model='cnn', seed=0, progress=True):
    import torch, torch.nn.functional as F
    res = 64 if model == 'lite0' else 32
    xtr, ytr, xte, yte, names = load(condition, data, res)
    torch.manual_seed(seed); np.random.seed(seed)
    net, prep, bs, peak = build(model, xtr.shape[1], len(names))
    if prep is None:
        mean, std = xtr.mean((0, 2, 3), keepdim=True), xtr.std((0, 2, 3), keepdim=True)
        prep = lambda x: (x - mean) / std
    steps = epochs * (len(xtr) // bs)
    opt = torch.optim.AdamW([p for p in net.parameters() if p.requires_grad], peak / 2, weight_decay=5e-4 if model == 'cnn' else 0.01)
    sch = torch.optim.lr_scheduler.OneCycleLR(opt, peak, total_steps=steps)
    def aug(x):
        x = torch.where((torch.rand(len(x)) < 0.5)[:, None, None, None], x.flip(3), x)
        s = x.shape[-1] // 16
        dy, dx = np.random.randint(0, 2 * s + 1, 2)
        return F.pad(x, (s, s, s, s), mode='replicate')[..., dy:dy + x.shape[-2], dx:dx + x.shape[-1]]
    def evaluate():
        net.eval()
        with torch.no_grad():
            p = torch.cat([(net(xb).softmax(-1) + net(xb.flip(3)).softmax(-1)).argmax(-1)
                           for xb in (prep(xte[i:i + 500]) for i in range(0, len(xte), 500))])
        net.train()
        return (p == yte).float().mean().item(), {n: round((p[yte == i] == i).float().mean().item(), 4) for i, n in enumerate(names)}
    t0, curve = time.time(), []
    for ep in range(epochs):
        if condition == 'rerender' and ep:  # FMC's renderer with seed `ep` (the shipped FMC is seed 0)
            xtr, ytr = load(ep, data, res)[:2]
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr) - bs + 1, bs):
            idx = perm[i:i + bs]
            loss = F.cross_entropy(net(prep(aug(xtr[idx]))), ytr[idx], label_smoothing=0.1)
            opt.zero_grad(); loss.backward(); opt.step(); sch.step()
        acc, per = evaluate()
        curve.append(round(acc, 4))
        if progress: print(f'  {model} {condition} epoch {ep + 1}/{epochs} ({time.time() - t0:.0f} s): test accuracy {acc:.3f}', flush=True)
    return dict(model=model, condition=condition, accuracy=round(acc, 4), per_category=per, curve=curve, epochs=epochs,
                n_train=len(xtr), n_test=len(xte), seconds=round(time.time() - t0, 1))

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--conditions', nargs='+', default=list(CONDITIONS), choices=CONDITIONS)
    ap.add_argument('--data', default='data/processed', help="FMC's processed folder (for the fmc condition)")
    ap.add_argument('--model', default='cnn', choices=list(MODELS), help='; '.join(f'{k}: {v}' for k, v in MODELS.items()))
    ap.add_argument('--epochs', type=int, default=None, help='passes over the training garments (default: cnn 8, lite0 3)')
    ap.add_argument('--threads', type=int, default=2, help='torch CPU threads')
    ap.add_argument('--json', default='nbs/eval_results/tagger_ceiling.json', help="write the figures here, keeping the figures of other models and conditions already there ('' to skip)")
    a = ap.parse_args()
    import torch
    torch.set_num_threads(a.threads)
    from fashion_reuse.core import FashionReuseError
    res = []
    for c in a.conditions:
        try: res.append(run(c, a.data, a.epochs or (3 if a.model == 'lite0' else 8), a.model))
        except (FashionReuseError, FileNotFoundError) as e: sys.exit(f'tagger_ceiling: {c}: {e}')
    print(f"\n{'model':<6} {'condition':<9} {'accuracy':>8}  " + '  '.join(f'{n:>11}' for n in res[0]['per_category']))
    for r in res: print(f"{r['model']:<6} {r['condition']:<9} {r['accuracy']:>8.1%}  " + '  '.join(f'{v:>11.1%}' for v in r['per_category'].values()))
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        p = Path(a.json)  # (model, condition) pairs not re-run keep their earlier figures
        old = [r for r in json.loads(p.read_text())['results'] if (r['model'], r['condition']) not in {(a.model, c) for c in a.conditions}] if p.exists() else []
        res = sorted(old + res, key=lambda r: (list(MODELS).index(r['model']), CONDITIONS.index(r['condition'])))
        p.write_text(json.dumps(dict(models=MODELS, results=res), indent=1) + '\n')
        print(f'wrote {a.json}')

if __name__ == '__main__': main()
