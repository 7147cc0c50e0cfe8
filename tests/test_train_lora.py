"Smoke test of nbs/train/train_lora.ipynb under papermill: it trains a LoRA on a tiny base, and the file loads with `load_lora_weights`."
import json
import numpy as np
import torch
from conftest import ROOT, run_training_notebook

def test_train_lora_smoke(tmp_path):
    out, work = tmp_path/'out', tmp_path/'work'
    run_training_notebook('train_lora', tmp_path, output_dir=str(out), work_dir=str(work), max_steps=4)
    f = out/'fashion_lora.safetensors'
    info = json.loads(f.with_suffix('.json').read_text())
    assert info['steps'] == 4 and info['subset'] == 'studio' and info['trigger'] == 'in studio style'
    assert set(info['style_frequency']) == {'base', 'lora', 'lora_without_trigger'}
    assert (work/'checkpoints'/'checkpoint-4'/'model.safetensors').exists()          # the engine's resumable checkpoint
    assert sorted(p.name for p in (work/'validation').glob('step-*.png')) == ['step-000003.png', 'step-000004.png']
    # the LoRA loads through diffusers' standard loader into the base pipeline the notebook trained on, and changes its output
    from diffusers import StableDiffusionPipeline
    base = info['base_model']
    pipe = StableDiffusionPipeline.from_pretrained(base, local_files_only=True, safety_checker=None, requires_safety_checker=False)
    pipe.set_progress_bar_config(disable=True)
    kw = dict(num_inference_steps=2, guidance_scale=2.5, height=32, width=32, output_type='np')
    before = pipe(['a red dress, in studio style'], generator=torch.Generator().manual_seed(0), **kw).images
    pipe.load_lora_weights(str(f))
    assert pipe.unet.peft_config and any('lora_' in n for n, _ in pipe.unet.named_parameters())
    after = pipe(['a red dress, in studio style'], generator=torch.Generator().manual_seed(0), **kw).images
    assert np.abs(after - before).max() > 0
