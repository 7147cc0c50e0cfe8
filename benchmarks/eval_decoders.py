#!/usr/bin/env python
"""Which VAE decoder keeps the garment's pattern? The same latents decoded by several decoders, judged by the shipped tagger.

Two sets of latents, both from the held-out TEST split (Fashion-MNIST t10k garments):
  gen  the latents the base UNet samples for test prompts (one per prompt, seed i, DDIM, guidance as configured) -- what a user gets;
  rec  the encoder's posterior mean of the real test images -- the decoder's ceiling.
Every decoder sees identical latents, so any difference is the decoder's. The VAE encoder must be the same in all models
(it is for checkpoints/mini/sd and its GAN-refined checkpoints/mini/sd_gan).

  python benchmarks/eval_decoders.py                                            # sd vs sd_gan, 216 prompts
  python benchmarks/eval_decoders.py --models checkpoints/mini/sd runs/exp/sd_gan2 --prompts 108 --json out.json
"""
import argparse, sys, time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from eval_diffusion import held_out, pattern_counts, write_figures  # noqa: E402


def judge(tagger, images, prompts):
    "Agreement per head, and per pattern: {expected: Counter(predicted)}; for prompts naming no pattern, what was predicted."
    j = tagger.judge(images, prompts)
    per, unsaid = pattern_counts(j['items'])
    return dict(agreement={h: v for h, v in j['agreement'].items() if h in ('category', 'color', 'pattern')},
                per_pattern=per, no_pattern_prompts=unsaid)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--models', nargs='+', default=['checkpoints/mini/sd', 'checkpoints/mini/sd_gan'],
                    help='pipeline folders whose vae/ decoders are compared; the first one samples the latents')
    ap.add_argument('--data', default='data/processed')
    ap.add_argument('--tagger', default='checkpoints/mini/tagger')
    ap.add_argument('--prompts', type=int, default=216)
    ap.add_argument('--steps', type=int, default=20)
    ap.add_argument('--guidance', type=float, default=4.0)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--json', help='write the figures here')
    a = ap.parse_args()
    import torch
    from PIL import Image
    from diffusers import AutoencoderKL
    from fashion_reuse.models.mini_sd import load_pipeline
    from fashion_reuse.models.tagger import load_tagger
    from fashion_reuse.train.gan import to_uint8
    torch.set_num_threads(a.threads)
    recs = held_out(a.data, a.prompts, a.seed)
    prompts = [r['prompt'] for r in recs]
    pipe = load_pipeline(a.models[0])
    t0 = time.time()
    lat = []
    for s in range(0, len(prompts), 54):
        gens = [torch.Generator().manual_seed(a.seed + i) for i in range(s, min(s + 54, len(prompts)))]
        with torch.inference_mode():
            lat.append(pipe(prompts[s:s + 54], generator=gens, num_inference_steps=a.steps, guidance_scale=a.guidance,
                            output_type='latent').images)
    lat = torch.cat(lat)
    print(f'{len(prompts)} latents sampled by {a.models[0]} in {time.time() - t0:.0f} s')
    real = torch.stack([torch.from_numpy(np.asarray(Image.open(Path(a.data)/r['image_path']).convert('RGB')).copy()).permute(2, 0, 1)
                        for r in recs]).float() / 127.5 - 1
    tagger = load_tagger(a.tagger)
    out = dict(prompts=len(prompts), steps=a.steps, guidance=a.guidance, sampler=a.models[0], tagger=a.tagger,
               judge_on_real=judge(tagger, [Image.fromarray(x) for x in to_uint8(real)], prompts)['agreement'], decoders={})
    encoder = None
    for m in a.models:
        vae = AutoencoderKL.from_pretrained(m, subfolder='vae').float().eval()
        enc_sd = {k: v for k, v in vae.state_dict().items() if k.startswith(('encoder.', 'quant_conv.'))}
        if encoder is None: encoder = enc_sd
        elif any(not torch.equal(encoder[k], v) for k, v in enc_sd.items()):
            sys.exit(f'{m}: its VAE encoder differs from {a.models[0]}\'s: the latents are not comparable')
        with torch.no_grad():
            gen = [Image.fromarray(x) for x in to_uint8(vae.decode(lat / vae.config.scaling_factor).sample)]
            rec = [Image.fromarray(x) for x in to_uint8(vae.decode(vae.encode(real).latent_dist.mean).sample)]
        out['decoders'][m] = dict(gen=judge(tagger, gen, prompts), rec=judge(tagger, rec, prompts))
    print(f"\njudge ({a.tagger}) on the real test images: " + ', '.join(f'{h} {v:.1%}' for h, v in out['judge_on_real'].items()))
    heads = ('category', 'color', 'pattern')
    print(f"\n{'decoder':40s} {'set':4s} " + ' '.join(f'{h:>9s}' for h in heads) + '   pattern right / prompts, per pattern')
    for m, d in out['decoders'].items():
        for kind in ('gen', 'rec'):
            r = d[kind]
            per = ', '.join(f"{e} {c.get(e, 0)}/{sum(c.values())}" for e, c in sorted(r['per_pattern'].items()))
            print(f"{m:40s} {kind:4s} " + ' '.join(f"{r['agreement'][h]:9.1%}" for h in heads) + f'   {per}')
    if a.json: write_figures(a.json, out)


if __name__ == '__main__':
    main()
