#!/usr/bin/env python
"""Preprocessing throughput against a floor measured on the same files in the same run.

floor = decode + square crop/resize + PNG encode of the image only;
full  = `process_record`: the floor + mask read/crop + Canny edges + dominant colours + prompt + quality flags
        + writing image, mask, edges, prompt and the metadata line (mask *inference* excluded: FMC masks are read).
Target: full / floor <= 1.5.

  python benchmarks/preprocess.py                 # both settings below, one after the other
  python benchmarks/preprocess.py --scenario real # DeepFashion-like: 300 px JPEGs -> 512 px crops (the real track)
  python benchmarks/preprocess.py --scenario mini # FMC's 64 px PNGs -> 64 px crops (the mini track)
"""
import argparse, io, json, sys, tempfile, time
from pathlib import Path
import numpy as np
from PIL import Image

from fashion_reuse.core import load_image
from fashion_reuse.data.fmc import build_fmc
from fashion_reuse.data.preprocess import DatasetConfig, iter_source, process_record, square_box, crop_square, _png_bytes

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--scenario', choices=['all', 'real', 'mini'], default='all')
    ap.add_argument('--n', type=int, default=None, help='garments to process (default 300 real, 1000 mini)')
    ap.add_argument('--repeat', type=int, default=3, help='take the best of this many passes')
    a = ap.parse_args()
    for sc in (['real', 'mini'] if a.scenario == 'all' else [a.scenario]):
        bench(n=a.n or (300 if sc == "real" else 1000), size=512 if sc == "real" else 64, upscale=300 if sc == "real" else 0, repeat=a.repeat)

def bench(n, size, upscale, repeat):
    tmp = Path(tempfile.mkdtemp())
    raw = build_fmc(tmp/'raw', n=n, seed=0, progress=False)
    recs = list(iter_source('fmc', raw))
    if upscale:
        for r in recs:
            p = Path(r.image); im = Image.open(p).convert('RGB').resize((upscale, upscale), Image.Resampling.BICUBIC)
            jp = p.with_suffix('.jpg'); im.save(jp, quality=90); r.image = str(jp)
            s = upscale / 64; r.bbox = tuple(int(round(v * s)) for v in r.bbox)
    cfg = DatasetConfig(source='fmc', size=size, min_side=28, workers=1)

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
        for k in range(repeat):
            out = tmp/f'{name}{k}'; out.mkdir()
            t0 = time.perf_counter(); fn(out); best = min(best, time.perf_counter() - t0)
        times[name] = best
    n = len(recs)
    print(f"input: {n} FMC garments{f' re-saved as {upscale}px JPEG' if upscale else ' (64px PNG)'} -> {size}px crops, 1 process, best of {repeat}")
    print(f"floor (decode+resize+encode): {n / times['floor']:8.1f} images/s")
    print(f"full preprocessing          : {n / times['full']:8.1f} images/s")
    print(f"ratio full/floor            : {times['full'] / times['floor']:.2f}  (target <= 1.5)")

if __name__ == '__main__': main()
