#!/usr/bin/env python
"""Held-out IoU of the shipped garment segmenter, against chance and against GrabCut as a pseudo-mask source.

Loads the SHIPPED checkpoint (default checkpoints/mini/segmentation) through `load_segmenter`, segments every image of
the `test` split of a processed folder (default data/processed: FMC, Fashion-MNIST's t10k garments, never trained on)
at its own size, and prints:
  - mean / median / 10th-percentile garment IoU, and the share of images above 0.9 (the mini bar: mean IoU >= 0.90);
  - chance level: the IoU of calling every pixel garment;
  - as a pseudo-mask source given the garment's box (what `build_processed` passes): segmenter vs GrabCut IoU, and the ratio.

  python benchmarks/eval_segmentation.py
  python benchmarks/eval_segmentation.py --grabcut-limit 0            # skip the (slower) GrabCut comparison
  python benchmarks/eval_segmentation.py --checkpoint checkpoints/garment_segmentation --data data/processed --json out.json
"""
import argparse, json, sys, time
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parent.parent

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--checkpoint', default=str(ROOT/'checkpoints'/'mini'/'segmentation'), help='segmenter folder')
    ap.add_argument('--data', default=str(ROOT/'data'/'processed'), help='processed folder with metadata.jsonl')
    ap.add_argument('--split', default='test', help='split to evaluate (test: held out)')
    ap.add_argument('--limit', type=int, default=None, help='first N images of the split only')
    ap.add_argument('--grabcut-limit', type=int, default=None, help='compare with GrabCut on the first N images (default: all; 0: skip)')
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--threads', type=int, default=1, help='torch CPU threads')
    ap.add_argument('--json', default=None, help='also write the figures to this file')
    a = ap.parse_args(argv)

    import torch
    torch.set_num_threads(a.threads)
    from fashion_reuse.core import FashionReuseError
    from fashion_reuse.data.preprocess import grabcut_mask
    from fashion_reuse.models.segmentation import load_segmenter, SegmentationDataset, iou, compare_mask_sources, segmenter_mask_fn
    try:
        seg = load_segmenter(a.checkpoint, a.device)
        ds = SegmentationDataset(a.data, a.split, classes=seg.classes, resolution=seg.resolution, limit=a.limit)
    except FashionReuseError as e:
        print(f'error: {e}', file=sys.stderr); return 2
    pairs = [ds.load(i) for i in range(len(ds))]
    t0 = time.perf_counter()
    preds = seg.predict([im for im, _ in pairs])
    dt = time.perf_counter() - t0
    truth = [t > 0 for _, t in pairs]
    ious = iou(preds, truth)
    chance = iou([np.ones_like(t) for t in truth], truth)
    res = dict(checkpoint=a.checkpoint, split=a.split, n=len(ious), iou=float(ious.mean()), iou_median=float(np.median(ious)),
               iou_p10=float(np.percentile(ious, 10)), share_above_0_9=float((ious > 0.9).mean()),
               chance_all_garment_iou=float(chance.mean()), images_per_s=round(len(ious) / dt, 1))
    print(f"segmenter {a.checkpoint} on {a.data} [{a.split}], {res['n']} images")
    print(f"  mean IoU          {res['iou']:.4f}   (bar for the mini track: >= 0.90)")
    print(f"  median / p10 IoU  {res['iou_median']:.4f} / {res['iou_p10']:.4f};  {res['share_above_0_9']:.1%} of images above 0.9")
    print(f"  chance level      {res['chance_all_garment_iou']:.4f}   (every pixel garment);  ratio {res['iou'] / res['chance_all_garment_iou']:.2f}x")
    print(f"  speed             {res['images_per_s']:.0f} images/s ({a.device}, {a.threads} thread(s))")
    by = {}
    for r, v in zip(ds.records, ious): by.setdefault(r['category'], []).append(v)
    print('  per category      ' + ', '.join(f'{c} {np.mean(v):.3f}' for c, v in sorted(by.items())))
    n_gc = len(ds) if a.grabcut_limit is None else min(a.grabcut_limit, len(ds))
    if n_gc:
        cmp = compare_mask_sources(ds, {'segmenter': segmenter_mask_fn(a.checkpoint, a.device), 'grabcut': grabcut_mask}, limit=n_gc)
        res['pseudo_mask'] = cmp
        s, g = cmp['segmenter'], cmp['grabcut']
        print(f"  pseudo-mask source given the garment box, first {n_gc} images:")
        print(f"    segmenter IoU {s['iou']:.4f} ({s['seconds_per_image']*1000:.1f} ms/image)")
        print(f"    GrabCut   IoU {g['iou']:.4f} ({g['seconds_per_image']*1000:.1f} ms/image);  segmenter / GrabCut = {s['iou'] / g['iou']:.3f}")
    if a.json: Path(a.json).write_text(json.dumps(res, indent=2) + '\n')
    return 0

if __name__ == '__main__':
    sys.exit(main())
