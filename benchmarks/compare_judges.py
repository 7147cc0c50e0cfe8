#!/usr/bin/env python
"""Where two garment taggers disagree about the pattern of the same generated images.

Generates the text->image benchmark's held-out prompts with the inference default (as `eval_diffusion.py --sections text`),
judges every image with both taggers, prints how often each agrees with the prompt and the disagreements by kind, and writes
a contact sheet of the disagreements (asked-for pattern; J1: first tagger, J2: second) to look at.

  python benchmarks/compare_judges.py --judges checkpoints/mini/tagger runs/exp/tagger2 --out outputs/eval/judges.png
"""
import argparse, sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from eval_diffusion import held_out  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--judges', nargs=2, required=True, metavar='TAGGER', help='two tagger folders')
    ap.add_argument('--data', default='data/processed')
    ap.add_argument('--prompts', type=int, default=216)
    ap.add_argument('--split', default='test')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--config', default='inference', help='inference config that generates the images (name or YAML path)')
    ap.add_argument('--set', nargs='*', default=[], metavar='KEY=VALUE', help='config overrides, as in eval_diffusion.py')
    ap.add_argument('--out', default='outputs/eval/judge_disagreements.png', help='contact sheet of the disagreements')
    a = ap.parse_args()
    import torch
    from PIL import Image, ImageDraw
    torch.set_num_threads(a.threads)
    from fashion_reuse.inference.pipeline import FashionPipeline, load_inference_config
    from fashion_reuse.models.tagger import load_tagger
    judges = [load_tagger(j) for j in a.judges]
    recs = held_out(a.data, a.prompts, a.seed, a.split)
    prompts = [r['prompt'] for r in recs]
    ims = [c.image for c in FashionPipeline(load_inference_config(a.config, a.set)).text_to_image(prompts, seed=a.seed)]
    j1, j2 = (t.judge(ims, prompts) for t in judges)
    for name, j in zip(a.judges, (j1, j2)):
        print(f"{name}: category {j['agreement']['category']:.1%}, colour {j['agreement']['color']:.1%}, pattern {j['agreement']['pattern']:.1%}")
    rows = [(i, x['expected']['pattern'], x['predicted']['pattern'], y['predicted']['pattern'])
            for i, (x, y) in enumerate(zip(j1['items'], j2['items'])) if x['expected'].get('pattern') and x['predicted']['pattern'] != y['predicted']['pattern']]
    print(f"{len(rows)} pattern disagreements; (asked, J1, J2): {Counter(r[1:] for r in rows).most_common()}")
    print(f"agrees with the prompt: J1 in {sum(r[1] == r[2] for r in rows)}, J2 in {sum(r[1] == r[3] for r in rows)}, neither in {sum(r[1] not in r[2:] for r in rows)}"
          " (agreement, not correctness: look at the sheet)")
    s, w = 128, 8
    sheet = Image.new('RGB', (w * s, max(1, (len(rows) + w - 1) // w) * (s + 30)), 'white')
    d = ImageDraw.Draw(sheet)
    for k, (i, e, p1, p2) in enumerate(rows):
        x, y = (k % w) * s, (k // w) * (s + 30)
        sheet.paste(ims[i].resize((s, s), Image.NEAREST), (x, y))
        d.text((x + 2, y + s + 1), f"asked {e}", fill='black'); d.text((x + 2, y + s + 14), f"J1 {p1} / J2 {p2}", fill='red')
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    sheet.save(a.out)
    print(f"contact sheet: {a.out}")

if __name__ == '__main__': main()
