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
Prompts come from the TEST split (Fashion-MNIST t10k garments; `--split val` to tune settings without touching it); a fixed seed
picks them, stratified by category.
"""
import argparse, json, random, sys, time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

BARS = dict(category=0.80, color=0.90, pattern=0.75)


def held_out(data, n, seed=0, split='test'):
    "n records of `split` (the figures: 'test'; tuning: 'val'), stratified by category, fixed by `seed`."
    from fashion_reuse.data.preprocess import read_metadata
    by = defaultdict(list)
    for r in read_metadata(data):
        if r['split'] == split: by[r['category']].append(r)
    rng = random.Random(seed)
    cats = sorted(by)
    out = []
    for i in range(n):
        c = cats[i % len(cats)]
        out.append(by[c].pop(rng.randrange(len(by[c]))))
    return out


def write_figures(path, figures: dict):
    "Write the benchmark's figures as JSON (making the folder) and say where."
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(figures, indent=1))
    print(f"figures: {path}")


def pattern_counts(items) -> tuple[dict, dict]:
    "From `Tagger.judge` items: {asked-for pattern: {judged pattern: count}}, and for prompts naming no pattern {judged: count}."
    per, unsaid = defaultdict(Counter), Counter()
    for it in items:
        e = it['expected'].get('pattern')
        if e: per[e][it['predicted']['pattern']] += 1
        else: unsaid[it['predicted']['pattern']] += 1
    return {e: dict(c) for e, c in sorted(per.items())}, dict(unsaid)


def agreement(tagger, images, prompts):
    j = tagger.judge(images, prompts)
    return {h: j['agreement'].get(h) for h in ('category', 'color', 'pattern')}, j



def _records_images(a, n, seed):
    from PIL import Image
    recs = held_out(a.data, n, seed, a.split)
    root = Path(a.data)
    ims = [Image.open(root/r['image_path']).convert('RGB') for r in recs]
    return recs, ims


def eval_controlnet(fp, a, path='checkpoints/mini/controlnet'):
    "IoU of the segmented output with the control mask, with vs without the ControlNet (same prompts and seeds)."
    import torch
    from PIL import Image
    from diffusers import StableDiffusionControlNetPipeline
    from fashion_reuse.inference.pipeline import find_model, generators
    from fashion_reuse.train.controlnet import load_controlnet, control_image, controlnet_conditions, mask_iou_with_control
    p = find_model(path, False)
    if not p: print(f"controlnet: {path} not found; skipped"); return None
    recs = held_out(a.data, a.prompts, a.seed + 2, a.split)
    root = Path(a.data)
    edges = [np.asarray(Image.open(root/r['edge_path'])) > 0 for r in recs]  # 1-bit PNGs
    masks = [np.asarray(Image.open(root/r['mask_path'])) > 0 for r in recs]
    conds = controlnet_conditions(p)
    ctrl = [control_image(e, m, conds) for e, m in zip(edges, masks)]
    prompts = [r['prompt'] for r in recs]
    base = fp.models.pipe
    cn = StableDiffusionControlNetPipeline.from_pipe(base, controlnet=load_controlnet(p))
    cn.set_progress_bar_config(disable=True)
    r_ = fp.resolution
    kw = dict(num_inference_steps=fp.cfg.steps, guidance_scale=fp.cfg.guidance, height=r_, width=r_)
    with_cn, without = [], []
    t0 = time.time()
    for s in range(0, len(prompts), 24):
        ps = prompts[s:s + 24]
        with torch.inference_mode():
            with_cn += cn(ps, image=ctrl[s:s + 24], generator=generators(a.seed + s, len(ps)), **kw).images
            without += base(ps, generator=generators(a.seed + s, len(ps)), **kw).images
    seg = fp.models.segmenter
    iw, io = mask_iou_with_control(with_cn, masks, seg), mask_iou_with_control(without, masks, seg)
    real = mask_iou_with_control([Image.open(root/r['image_path']).convert('RGB') for r in recs], masks, seg)
    gen, _ = agreement(fp.models.tagger, with_cn, prompts)
    res = dict(n=len(recs), iou_with=float(np.mean(iw)), iou_without=float(np.mean(io)), judge_iou_on_real=float(np.mean(real)),
               prompt_fidelity_with=gen, conditions=conds, seconds=round(time.time() - t0, 1))
    print(f"controlnet on {len(recs)} held-out control maps ({conds}): mask IoU with {res['iou_with']:.3f}, without {res['iou_without']:.3f} "
          f"(segmenter on the real images {res['judge_iou_on_real']:.3f}); bar >= 0.80 and above without: "
          f"{'met' if res['iou_with'] >= 0.8 and res['iou_with'] > res['iou_without'] else 'NOT met'}")
    a._grids = getattr(a, '_grids', {}) | {'controlnet': (ctrl[:12], with_cn[:12], without[:12])}
    return res


def eval_ip_adapter(fp, a, path='checkpoints/mini/ip_adapter'):
    "How often the output's colour / pattern (tagger) match the reference's, with the chance level and with the adapter off."
    from diffusers import StableDiffusionPipeline
    from fashion_reuse.inference.pipeline import find_model
    from fashion_reuse.train.ip_adapter import load_ip_adapter, generate_from_references, reference_match
    p = find_model(path, False)
    if not p: print(f"ip_adapter: {path} not found; skipped"); return None
    recs, refs = _records_images(a, a.prompts, a.seed + 3)
    pipe = StableDiffusionPipeline.from_pipe(fp.models.pipe)
    load_ip_adapter(pipe, p, scale=1.0)
    r_ = fp.resolution
    kw = dict(num_inference_steps=fp.cfg.steps, guidance_scale=fp.cfg.guidance, height=r_, width=r_)
    t0 = time.time()
    outs = generate_from_references(pipe, '', refs, seed=a.seed, **kw)
    m = reference_match(outs, refs, fp.models.tagger)
    pipe.set_ip_adapter_scale(0.0)
    off = reference_match(generate_from_references(pipe, '', refs, seed=a.seed, **kw), refs, fp.models.tagger)
    pipe.unload_ip_adapter()
    res = dict(n=len(refs), match=m['match'], chance=m['chance'], match_adapter_off=off['match'], seconds=round(time.time() - t0, 1))
    print(f"ip_adapter on {len(refs)} held-out references: match {', '.join(f'{h} {v:.1%}' for h, v in m['match'].items())}; "
          f"chance {', '.join(f'{h} {v:.1%}' for h, v in m['chance'].items())}; adapter off {', '.join(f'{h} {v:.1%}' for h, v in off['match'].items())}")
    a._grids = getattr(a, '_grids', {}) | {'ip_adapter': (refs[:12], outs[:12])}
    return res


def eval_lora(fp, a, path='checkpoints/mini/fashion_lora.safetensors', trigger='in studio style'):
    "How often the LoRA's studio style appears with the LoRA vs the base, same prompts (+ trigger) and seeds."
    import json as _json
    from diffusers import StableDiffusionPipeline
    from fashion_reuse.inference.pipeline import find_model
    from fashion_reuse.train.lora import style_frequency
    p = find_model(path, False)
    if not p: print(f"lora: {path} not found; skipped"); return None
    info = Path(p).with_suffix('.json')
    if info.exists(): trigger = _json.loads(info.read_text()).get('trigger', trigger) or trigger
    recs = held_out(a.data, a.prompts, a.seed + 4, a.split)
    prompts = [f"{r['prompt']}, {trigger}" for r in recs]
    t0 = time.time()
    base = fp.text_to_image(prompts, seed=a.seed)
    pipe = StableDiffusionPipeline.from_pipe(fp.models.pipe)
    pipe.load_lora_weights(p)
    from fashion_reuse.inference.pipeline import generators
    import torch
    r_ = fp.resolution
    lora = []
    for s in range(0, len(prompts), 24):
        with torch.inference_mode():
            lora += pipe(prompts[s:s + 24], generator=generators(a.seed + s, len(prompts[s:s + 24])), num_inference_steps=fp.cfg.steps,
                         guidance_scale=fp.cfg.guidance, height=r_, width=r_).images
    pipe.unload_lora_weights()
    seg = fp.models.segmenter
    fb, fl = style_frequency([c.image for c in base], segmenter=seg), style_frequency(lora, segmenter=seg)
    from fashion_reuse.data.preprocess import read_metadata
    train = [r for r in read_metadata(a.data) if r['split'] == 'train']
    gen, _ = agreement(fp.models.tagger, lora, [r['prompt'] for r in recs])
    res = dict(n=len(prompts), trigger=trigger, style_frequency_base=fb, style_frequency_lora=fl, prompt_fidelity_lora=gen, seconds=round(time.time() - t0, 1))
    print(f"lora on {len(prompts)} held-out prompts + '{trigger}': studio style in {fl:.1%} of LoRA images vs {fb:.1%} with the base alone "
          f"({'more frequent: met' if fl > fb else 'NOT met'})")
    a._grids = getattr(a, '_grids', {}) | {'lora': ([c.image for c in base[:12]], lora[:12])}
    return res

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default='data/processed')
    ap.add_argument('--sections', nargs='*', default=['text', 'ranking', 'controlnet', 'ip_adapter', 'lora'])
    ap.add_argument('--prompts', type=int, default=216, help='held-out prompts for text->image (default 216)')
    ap.add_argument('--rank-prompts', type=int, default=54, help='prompts for the ranking section (16 candidates each)')
    ap.add_argument('--steps', type=int, default=None)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--config', default='inference', help='inference config (name or YAML path)')
    ap.add_argument('--set', nargs='*', default=[], metavar='KEY=VALUE', help='config overrides')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--split', default='test', help="prompts from this split: 'test' for the figures, 'val' to tune settings")
    ap.add_argument('--json', default='', help='write the figures here')
    ap.add_argument('--grids', default='', help='write a picture per section into this folder (rows: inputs/controls, outputs, baseline)')
    a = ap.parse_args()
    import torch
    torch.set_num_threads(a.threads)
    from PIL import Image
    from fashion_reuse.inference.pipeline import FashionPipeline, load_inference_config
    cfg = load_inference_config(a.config, a.set)
    if a.steps: cfg.steps = a.steps
    fp = FashionPipeline(cfg)
    tagger, seg = fp.models.tagger, fp.models.segmenter
    res = dict(backend=cfg.backend, base_model=fp.models.backend.base_model, steps=cfg.steps, guidance=cfg.guidance)
    root = Path(a.data)

    if 'text' in a.sections:
        recs = held_out(a.data, a.prompts, a.seed, a.split)
        prompts = [r['prompt'] for r in recs]
        t0 = time.time()
        cands = fp.text_to_image(prompts, seed=a.seed)
        dt = time.time() - t0
        gen, jg = agreement(tagger, [c.image for c in cands], prompts)
        real, _ = agreement(tagger, [Image.open(root/r['image_path']).convert('RGB') for r in recs], prompts)
        res['text'] = dict(n=len(prompts), generated=gen, judge_on_real=real, seconds=round(dt, 1), images_per_s=round(len(prompts) / dt, 1),
                           per_category={c: float(np.mean([it['agree'].get('category', False) for it, r in zip(jg['items'], recs) if r['category'] == c]))
                                         for c in sorted({r['category'] for r in recs})})
        res['text']['per_pattern'] = pattern_counts(jg['items'])[0]
        print(f"text->image on {len(prompts)} held-out prompts ({dt:.0f} s, {len(prompts) / dt:.1f} images/s, {cfg.steps} steps):")
        print(f"{'head':<10}{'generated':>10}{'judge on real':>15}  bar")
        for h in ('category', 'color', 'pattern'):
            ok = gen[h] >= BARS[h]
            print(f"{h:<10}{gen[h]:>10.1%}{real[h]:>15.1%}  >= {BARS[h]:.0%}: {'met' if ok else 'NOT met'}")
        print('per category (generated):', {k: f'{v:.0%}' for k, v in res['text']['per_category'].items()})
        print('per pattern (generated, judged right / asked):', {k: f"{v.get(k, 0)}/{sum(v.values())}" for k, v in res['text']['per_pattern'].items()})
        a._grids = getattr(a, '_grids', {}) | {'text': ([Image.open(root/r['image_path']).convert('RGB') for r in recs[:12]], [c.image for c in cands[:12]])}

    if 'ranking' in a.sections:
        from fashion_reuse.inference.ranking import score_candidates, rank_candidates
        recs = held_out(a.data, a.rank_prompts, a.seed + 1, a.split)
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
            path = getattr(fp.models.backend, name, None)  # the inference config's model (e.g. --set backends.mini.ip_adapter=...), else the shipped one
            res[name] = fn(fp, a, path) if path else fn(fp, a)
    if a.grids:
        from PIL import Image
        out = Path(a.grids); out.mkdir(parents=True, exist_ok=True)
        for name, rows in getattr(a, '_grids', {}).items():
            w = rows[0][0].width
            g = Image.new('RGB', (max(len(r) for r in rows) * w, len(rows) * w), 'white')
            for j, row in enumerate(rows):
                for i, im in enumerate(row): g.paste(im.convert('RGB').resize((w, w)), (i * w, j * w))
            g.resize((g.width * 2, g.height * 2), Image.Resampling.NEAREST).save(out/f'{name}.png')
        print(f"pictures: {out}")
    if a.json: write_figures(a.json, res)


if __name__ == '__main__':
    main()
