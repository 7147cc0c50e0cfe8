#!/usr/bin/env python
"""Held-out accuracy of the shipped garment tagger, per head, against chance.

Loads the SHIPPED checkpoint (default checkpoints/mini/tagger) through `load_tagger`, runs the `test` split of the processed data
(FMC: Fashion-MNIST's t10k garments, never trained on) through it, and prints per head: accuracy, the majority-class and uniform
chance levels, n, and the bar; then the category confusion matrix. Exit status 1 when a bar is missed.

  python benchmarks/eval_tagger.py                                   # mini track: checkpoints/mini/tagger on data/processed
  python benchmarks/eval_tagger.py --checkpoint checkpoints/garment_tagger --data data/processed --limit 2000
  python benchmarks/eval_tagger.py --confusion outputs/eval/tagger/confusion_category.png
"""
import argparse, json, sys, time
from pathlib import Path

BARS = dict(category=0.90, color=0.90, pattern=0.85) # the mini track's bars on the test split

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--checkpoint', default='checkpoints/mini/tagger', help='tagger folder (model.safetensors + config.json)')
    ap.add_argument('--data', default='data/processed', help='processed folder with metadata.jsonl')
    ap.add_argument('--split', default='test', help="split to evaluate (the figures are only meaningful on 'test')")
    ap.add_argument('--limit', type=int, default=0, help='evaluate a fixed random subset of this size (0: the whole split)')
    ap.add_argument('--batch-size', type=int, default=128)
    ap.add_argument('--threads', type=int, default=1, help='torch CPU threads')
    ap.add_argument('--confusion', default='', help='also save the category confusion matrix as this PNG')
    ap.add_argument('--json', default='', help='also write the figures as JSON here')
    a = ap.parse_args()
    import torch
    torch.set_num_threads(a.threads)
    from fashion_reuse.core import FashionReuseError
    from fashion_reuse.models.tagger import load_tagger, TaggerDataset, evaluate_tagger, split_records, plot_confusion
    try:
        tagger = load_tagger(a.checkpoint)
        recs = split_records(a.data, a.split)
    except FashionReuseError as e:
        sys.exit(f'eval_tagger: {e}')
    if not recs: sys.exit(f"eval_tagger: {a.data} has no '{a.split}' records")
    ds = TaggerDataset(recs, a.data, tagger.vocabularies)
    t0 = time.time()
    ev = evaluate_tagger(tagger.net, ds, batch_size=a.batch_size, limit=a.limit or None)
    dt = time.time() - t0
    print(f"{a.checkpoint} on {a.data}, split '{a.split}': {ev['images']} images in {dt:.0f} s ({ev['images_per_s']:.0f} images/s, {a.threads} thread(s))")
    print(f"{'head':<14}{'classes':>8}{'accuracy':>10}{'chance':>9}{'uniform':>9}{'n':>7}  bar")
    missed = []
    for h, r in ev['heads'].items():
        bar = BARS.get(h)
        verdict = '' if bar is None else (f'>= {bar:.0%}: ' + ('met' if r['accuracy'] >= bar else 'NOT met'))
        if bar is not None and r['accuracy'] < bar: missed.append(h)
        print(f"{h:<14}{len(r['labels']):>8}{r['accuracy']:>10.2%}{r['chance']:>9.2%}{r['uniform']:>9.2%}{r['n']:>7}  {verdict}")
        print(f"{'':<14}{'':>8}{'ratio to chance':>19} {r['accuracy'] / r['chance']:.2f}x")
    cat = ev['heads']['category']
    w = max(len(l) for l in cat['labels'])
    print('\ncategory confusion (rows true, columns predicted):')
    print(' ' * (w + 1) + ' '.join(f'{l[:6]:>6}' for l in cat['labels']))
    for l, row in zip(cat['labels'], cat['confusion']): print(f'{l:>{w}} ' + ' '.join(f'{v:>6}' for v in row))
    recorded = tagger.config.get('metrics', {}).get('shipped_fp16_accuracy', {})
    if recorded and a.split == 'test' and not a.limit:
        diffs = {h: round(abs(recorded[h] - r['accuracy']), 4) for h, r in ev['heads'].items() if h in recorded}
        print('\nagrees with the figures recorded for the shipped weights' if max(diffs.values()) < 1e-3 else f'\ndiffers from the recorded figures: {diffs}')
    if a.confusion:
        Path(a.confusion).parent.mkdir(parents=True, exist_ok=True)
        plot_confusion(cat, f"{a.split} split, category:").savefig(a.confusion, dpi=80)
        print(f'confusion matrix: {a.confusion}')
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(dict(checkpoint=a.checkpoint, split=a.split, **ev), indent=1))
    if missed: print(f"bars missed: {', '.join(missed)}"); sys.exit(1)

if __name__ == '__main__': main()
