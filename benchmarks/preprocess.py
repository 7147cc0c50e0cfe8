#!/usr/bin/env python
"""Preprocessing throughput against a floor measured on the same files in the same run.

floor = decode + square crop/resize + PNG encode of the image only;
full  = `process_record`: the floor + mask read/crop + Canny edges + dominant colours + prompt + quality flags
        + writing image, mask, edges, prompt and the metadata line (mask *inference* excluded: FMC masks are read).
Target: full / floor <= 1.5.

  python benchmarks/preprocess.py                  # 1000 FMC garments at 64 px (the mini track)
  python benchmarks/preprocess.py --upscale 300 --size 512   # DeepFashion-like: 300 px JPEGs -> 512 px crops
"""
import argparse, io, json, sys, tempfile, time
from pathlib import Path
import numpy as np
from PIL import Image

from fashion_reuse.core import load_image
from fashion_reuse.data.fmc import build_fmc
from fashion_reuse.data.preprocess import DatasetConfig, iter_source, process_record, square_box, crop_square, _png_bytes, record_mask

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--n', type=int, default=1000, help='garments to process')
    ap.add_argument('--size', type=int, default=64, help='output crop size')
    ap.add_argument('--upscale', type=int, default=0, help='re-save the FMC images as JPEGs of this size first (DeepFashion-like input)')
    ap.add_argument('--repeat', type=int, default=3, help='take the best of this many passes')
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    raw = build_fmc(tmp/'raw', n=a.n, seed=0, progress=False)
    recs = list(iter_source('fmc', raw))
    if a.upscale:
        for r in recs:
            p = Path(r.image); im = Image.open(p).convert('RGB').resize((a.upscale, a.upscale), Image.Resampling.BICUBIC)
            jp = p.with_suffix('.jpg'); im.save(jp, quality=90); r.image = str(jp)
            s = a.upscale / 64; r.bbox = tuple(int(round(v * s)) for v in r.bbox)
    cfg = DatasetConfig(source='fmc', size=a.size, min_side=28, workers=1)

    def floor(out):
        for i, r in enumerate(recs):
            img = load_image(r.image)
            c = np.asarray(crop_square(img, square_box(r.bbox or (0, 0, img.width, img.height), cfg.pad), cfg.size))
            (out/f'{i}.png').write_bytes(_png_bytes(c))

    def full(out):
        lines = [process_record(r, out, cfg) for r in recs]
        (out/'metadata.jsonl').write_text(''.join(json.dumps(l) + '\n' for l in lines))

    times = {}
    for name, fn in (('floor', floor), ('full', full)):
        best = float('inf')
        for k in range(a.repeat):
            out = tmp/f'{name}{k}'; out.mkdir()
            t0 = time.perf_counter(); fn(out); best = min(best, time.perf_counter() - t0)
        times[name] = best
    n = len(recs)
    print(f"input: {n} FMC garments{f' re-saved as {a.upscale}px JPEG' if a.upscale else ' (64px PNG)'} -> {a.size}px crops, 1 process, best of {a.repeat}")
    print(f"floor (decode+resize+encode): {n / times['floor']:8.1f} images/s")
    print(f"full preprocessing          : {n / times['full']:8.1f} images/s")
    print(f"ratio full/floor            : {times['full'] / times['floor']:.2f}  (target <= 1.5)")

if __name__ == '__main__': main()
