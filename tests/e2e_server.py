"""Serve `fashion_reuse.api` on a tiny random model, for the browser test (tests/test_ui_e2e.py) and for UI work
(`npm run dev` in frontend/ forwards to port 8000): `python tests/e2e_server.py PORT WORKDIR`."""
import sys
from pathlib import Path

def tiny_app(work: Path):
    "The real API on a random TINY mini-SD (32 px, 2 steps) with the shipped mini segmenter, tagger and CLIP."
    import torch
    from fashion_reuse.models import mini_sd as msd
    from fashion_reuse.inference.pipeline import load_inference_config
    try: from fashion_reuse.api import create_app
    except ImportError: from fashion_reuse.api.app import create_app
    torch.manual_seed(0)
    te, tok = msd.tiny_text_encoder()
    msd.save_pipeline(msd.assemble_pipeline(msd.build_vae(msd.TINY), msd.build_unet(msd.TINY, te.config.hidden_size), te, tok, msd.TINY), work/'sd')
    cfg = load_inference_config(overrides=['steps=2', 'device=cpu', 'num_candidates=8', 'top=4'])
    cfg.backends['mini'] = dict(base_model=str(work/'sd'), resolution=32)  # the tiny model alone: none of the shipped adapters fit it
    return create_app(cfg, db=work/'jobs.sqlite', out=work/'outputs')

if __name__ == '__main__':
    import uvicorn
    port, work = int(sys.argv[1]), Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    uvicorn.run(tiny_app(work), host='127.0.0.1', port=port, log_level='warning')
