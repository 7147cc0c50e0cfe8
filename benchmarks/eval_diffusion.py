#!/usr/bin/env python
"""The diffusion bars of the mini track, judged by the shipped tagger and segmenter (models never trained on generated images).

  python benchmarks/eval_diffusion.py                      # every section whose models exist
  python benchmarks/eval_diffusion.py --sections text ranking --prompts 216 --json outputs/eval/diffusion.json

Sections
  text      text->image: generated category / primary colour / pattern agree with the prompt (bars 80 / 90 / 75 %),
            beside the judge's own accuracy on the real held-out images those prompts describe.
  ranking   the ranked top-4 of 16 candidates vs a random 4 of the same candidates, on the tagger's prompt fidelity
            (the ranker never sees the tagger).
  controlnet  IoU of the segmented output with the control mask, with and without the ControlNet (same prompts/seeds).
  ip_adapter  output colour / pattern match the reference image (tagger), with chance level.
  lora      how often the LoRA's style appears with the LoRA vs the base alone (same prompts/seeds).
Prompts come from the TEST split (Fashion-MNIST t10k garments); a fixed seed picks them, stratified by category.
"""
import argparse, json, random, sys, time
from collections import defaultdict
from pathlib import Path

import numpy as np

BARS = dict(category=0.80, color=0.90, pattern=0.75)


def held_out(data, n, seed=0):
    "n test records, stratified by category, fixed by `seed`."
    from fashion_reuse.data.preprocess import read_metadata
    by = defaultdict(list)
    for r in read_metadata(data):
        if r['split'] == 'test': by[r['category']].append(r)
    rng = random.Random(seed)
    cats = sorted(by)
    out = []
    for i in range(n):
        c = cats[i % len(cats)]
        out.append(by[c].pop(rng.randrange(len(by[c]))))
    return out


def agreement(tagger, images, prompts):
    j = tagger.judge(images, prompts)
    return {h: j['agreement'].get(h) for h in ('category', 'color', 'pattern')}, j


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default='data/processed')
    ap.add_argument('--sections', nargs='*', default=['text', 'ranking', 'controlnet', 'ip_adapter', 'lora'])
    ap.add_argument('--prompts', type=int, default=216, help='held-out prompts for text->image (default 216)')
    ap.add_argument('--rank-prompts', type=int, default=54, help='prompts for the ranking section (16 candidates each)')
    ap.add_argument('--steps', type=int, default=None)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--json', default='', help='write the figures here')
    ap.add_argument('--grid', default='', help='write a grid of generated images (PNG) here')
    a = ap.parse_args()
    import torch
    torch.set_num_threads(a.threads)
    from PIL import Image
    from fashion_reuse.inference.pipeline import FashionPipeline, load_inference_config
    cfg = load_inference_config()
    if a.steps: cfg.steps = a.steps
    fp = FashionPipeline(cfg)
    tagger, seg = fp.models.tagger, fp.models.segmenter
    res = dict(backend=cfg.backend, base_model=fp.models.backend.base_model, steps=cfg.steps, guidance=cfg.guidance)
    root = Path(a.data)

    if 'text' in a.sections:
        recs = held_out(a.data, a.prompts, a.seed)
        prompts = [r['prompt'] for r in recs]
        t0 = time.time()
        cands = fp.text_to_image(prompts, seed=a.seed)
        dt = time.time() - t0
        gen, jg = agreement(tagger, [c.image for c in cands], prompts)
        real, _ = agreement(tagger, [Image.open(root/r['image_path']).convert('RGB') for r in recs], prompts)
        res['text'] = dict(n=len(prompts), generated=gen, judge_on_real=real, seconds=round(dt, 1), images_per_s=round(len(prompts) / dt, 1),
                           per_category={c: float(np.mean([it['agree'].get('category', False) for it, r in zip(jg['items'], recs) if r['category'] == c]))
                                         for c in sorted({r['category'] for r in recs})})
        print(f"text->image on {len(prompts)} held-out prompts ({dt:.0f} s, {len(prompts) / dt:.1f} images/s, {cfg.steps} steps):")
        print(f"{'head':<10}{'generated':>10}{'judge on real':>15}  bar")
        for h in ('category', 'color', 'pattern'):
            ok = gen[h] >= BARS[h]
            print(f"{h:<10}{gen[h]:>10.1%}{real[h]:>15.1%}  >= {BARS[h]:.0%}: {'met' if ok else 'NOT met'}")
        print('per category (generated):', {k: f'{v:.0%}' for k, v in res['text']['per_category'].items()})
        if a.grid:
            ims = [c.image for c in cands[:48]]
            w = ims[0].width
            g = Image.new('RGB', (12 * w, 4 * w), 'white')
            for i, im in enumerate(ims): g.paste(im, ((i % 12) * w, (i // 12) * w))
            Path(a.grid).parent.mkdir(parents=True, exist_ok=True); g.save(a.grid)

    if 'ranking' in a.sections:
        from fashion_reuse.inference.ranking import score_candidates, rank_candidates
        recs = held_out(a.data, a.rank_prompts, a.seed + 1)
        top_acc, rnd_acc, all_acc = [], [], []
        rng = random.Random(a.seed)
        t0 = time.time()
        for r in recs:
            cands = fp.text_to_image(r['prompt'], n=16, seed=a.seed)
            score_candidates(cands, r['prompt'], fp.models.clip, seg)
            ranked = rank_candidates(cands, cfg.ranking_weights)
            j = tagger.judge([c.image for c in ranked], [r['prompt']] * len(ranked))
            fid = [np.mean(list(it['agree'].values())) for it in j['items']]  # prompt fidelity per candidate (mean over heads)
            top_acc.append(np.mean(fid[:4])); rnd_acc.append(np.mean(rng.sample(fid, 4))); all_acc.append(np.mean(fid))
        dt = time.time() - t0
        d = np.array(top_acc) - np.array(all_acc)
        se = d.std(ddof=1) / np.sqrt(len(d))
        res['ranking'] = dict(prompts=len(recs), candidates=16, top4=float(np.mean(top_acc)), random4=float(np.mean(rnd_acc)),
                              expected_random4=float(np.mean(all_acc)), margin=float(d.mean()), margin_95ci=[float(d.mean() - 1.96 * se), float(d.mean() + 1.96 * se)],
                              top4_better_share=float(np.mean(d > 0)), seconds=round(dt, 1))
        print(f"ranking on {len(recs)} held-out prompts x 16 candidates ({dt:.0f} s): tagger prompt fidelity top-4 {np.mean(top_acc):.1%}, "
              f"random-4 {np.mean(rnd_acc):.1%} (expected {np.mean(all_acc):.1%}); margin {d.mean():+.1%} "
              f"(95% CI {d.mean() - 1.96 * se:+.1%} .. {d.mean() + 1.96 * se:+.1%})")

    for name in ('controlnet', 'ip_adapter', 'lora'):
        if name in a.sections:
            try:
                fn = globals()[f'eval_{name}']
            except KeyError:
                print(f"{name}: not evaluated (no evaluator yet)"); continue
            res[name] = fn(fp, a)
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(res, indent=1))
        print(f"figures: {a.json}")


if __name__ == '__main__':
    main()
