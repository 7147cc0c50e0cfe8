#!/usr/bin/env python
"""Held-out image->text retrieval of the shipped CLIP, against chance.

For every image of the `test` split (FMC: Fashion-MNIST t10k garments, never trained on), the most similar of ALL
category x colour prompts ("a {noun}, {color}", 6 x 12 = 72 on FMC) must be its own. Prints top-1 (the bar: >= 0.70),
chance (1/72) and the ratio, top-5, and whether the chosen prompt has the right category / the right colour.

  python benchmarks/eval_clip.py                               # the configured CLIP (checkpoints/mini/clip) on data/processed
  python benchmarks/eval_clip.py --model openai/clip-vit-base-patch32 --limit 1000
"""
import argparse, json, sys, time
from pathlib import Path

from fashion_reuse.core import FashionReuseError
from fashion_reuse.models.clip import load_clip, retrieval_eval, ClipPairs, RETRIEVAL_TEMPLATE
from fashion_reuse.models.embeddings import default_clip_model

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--model', help='CLIP hub id or folder (default: the configured one)')
    ap.add_argument('--data', default='data/processed', help='processed folder (default data/processed)')
    ap.add_argument('--split', default='test')
    ap.add_argument('--limit', type=int, help='first N images of the split only')
    ap.add_argument('--template', default=RETRIEVAL_TEMPLATE, help='candidate prompt template')
    ap.add_argument('--no-flip-average', dest='flip_average', action='store_false',
                    help="embed each image alone (default: the encoder's mean of the image and its mirror image)")
    ap.add_argument('--threads', type=int, default=1, help='torch CPU threads')
    ap.add_argument('--json', action='store_true', help='print the figures as JSON')
    a = ap.parse_args()
    import torch
    torch.set_num_threads(a.threads)
    try:
        model = a.model or default_clip_model()
        enc = load_clip(model, flip_average=a.flip_average)
        data = ClipPairs(a.data, a.split, limit=a.limit)
    except FashionReuseError as e:
        sys.exit(f'eval_clip: {e}')
    t0 = time.time()
    r = retrieval_eval(enc, data, a.template)
    r['seconds'] = round(time.time() - t0, 1)
    r['images_per_s'] = round(r['n_images'] / r['seconds'], 1)
    r['flip_average'] = a.flip_average
    if a.json: print(json.dumps(r, indent=2)); return
    print(f"CLIP {model} on {a.data} split '{a.split}': {r['n_images']} images x {r['n_prompts']} prompts '{a.template}'"
          f"{', mirror-averaged image embeddings' if a.flip_average else ', single-view image embeddings'}")
    print(f"  image->text top-1   {r['top1']:.3f}   (chance {r['chance']:.4f}; {r['top1'] / r['chance']:.0f}x chance; bar 0.70)")
    print(f"  top-5               {r['top5']:.3f}")
    print(f"  category right      {r['category_top1']:.3f}")
    print(f"  colour right        {r['color_top1']:.3f}")
    print(f"  {r['seconds']} s ({r['images_per_s']} images/s)")

if __name__ == '__main__': main()
