"""How much the CLI's `generate -n 16 --top 4` (generation + ranking + writing) costs over a bare diffusers call.

    python benchmarks/generate.py [--backend mini] [--n 16] [--steps 20] [--repeats 3]

Prints the median wall time of (a) `fashion_reuse.inference.runs.generate(prompt, n=16, top=4)` — what the CLI runs —
and (b) `StableDiffusionPipeline.from_pretrained(same model)(prompt, num_images_per_prompt=16)` with the same steps,
size and guidance, in one process after one warm-up each, and their ratio (target <= 1.15). Then the cold start:
a fresh `fashion-reuse generate PROMPT -n 1 --top 1` process, from launch to exit.
"""
import argparse, statistics, subprocess, sys, tempfile, time
from pathlib import Path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--backend', default=None)
    ap.add_argument('--n', type=int, default=16)
    ap.add_argument('--top', type=int, default=4)
    ap.add_argument('--steps', type=int, default=None)
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--prompt', default='an upcycled dress, floral, pink, summer style, high realism')
    a = ap.parse_args()
    import torch
    from diffusers import StableDiffusionPipeline
    from fashion_reuse.inference.pipeline import load_inference_config, Models, find_model
    from fashion_reuse.inference.runs import generate
    cfg = load_inference_config()
    if a.backend: cfg.backend = a.backend
    steps = a.steps or cfg.steps
    bc = cfg.backend_config()
    out = Path(tempfile.mkdtemp())
    print(f"backend {cfg.backend} ({bc.base_model}), {a.n} images, {steps} steps, {bc.resolution} px, torch threads {torch.get_num_threads()}")

    def ours():
        return generate(a.prompt, n=a.n, top=a.top, steps=steps, out=out, cfg=cfg)
    m = Models.get(cfg)
    bare = StableDiffusionPipeline.from_pretrained(find_model(bc.base_model), torch_dtype=m.dtype, safety_checker=None, requires_safety_checker=False).to(m.device)
    bare.set_progress_bar_config(disable=True)
    r = bc.resolution

    def base():
        with torch.inference_mode():
            return bare(a.prompt, num_images_per_prompt=a.n, num_inference_steps=steps, guidance_scale=cfg.guidance, height=r, width=r,
                        generator=torch.Generator().manual_seed(0)).images
    times = {'fashion-reuse generate': [], 'bare diffusers': []}
    ours(); base()  # warm-up: loading, first-call allocations
    for _ in range(a.repeats):
        for name, fn in (('fashion-reuse generate', ours), ('bare diffusers', base)):
            t = time.perf_counter(); fn(); times[name].append(time.perf_counter() - t)
    med = {k: statistics.median(v) for k, v in times.items()}
    for k, v in med.items(): print(f"{k:24s} {v:7.2f} s  (runs: {', '.join(f'{x:.2f}' for x in times[k])})")
    print(f"ratio {med['fashion-reuse generate'] / med['bare diffusers']:.3f}  (target <= 1.15; ranking and writing included)")
    exe = Path(sys.executable).with_name('fashion-reuse')
    cmd = [str(exe) if exe.exists() else 'fashion-reuse', 'generate', a.prompt, '-n', '1', '--top', '1', '--steps', str(steps), '--out', str(out)]
    if a.backend: cmd += ['--backend', a.backend]
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    print(f"cold start (new process -> first image written): {time.perf_counter() - t:.2f} s")


if __name__ == '__main__':
    main()
