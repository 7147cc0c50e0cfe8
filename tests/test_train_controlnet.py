"Smoke test of nbs/train/train_controlnet.ipynb under papermill: it trains a ControlNet on a tiny base, saved in diffusers format."
import json
import numpy as np
import torch
from PIL import Image
from conftest import ROOT, run_training_notebook

def test_train_controlnet_smoke(tmp_path):
    out, work = tmp_path/'controlnet', tmp_path/'work'
    run_training_notebook('train_controlnet', tmp_path, output_dir=str(out), work_dir=str(work), max_steps=4)
    info = json.loads((out/'fashion_reuse.json').read_text())
    assert info['conditions'] == ['canny', 'mask'] and info['steps'] == 4
    assert 0 <= info['mask_iou']['controlnet'] <= 1 and 0 <= info['mask_iou']['base'] <= 1
    assert (work/'checkpoints'/'checkpoint-4'/'model.safetensors').exists() and (work/'latents.safetensors').exists()
    assert sorted(p.name for p in (work/'validation').glob('step-*.png')) == ['step-000003.png', 'step-000004.png']
    # loads with the standard diffusers classes and runs in a ControlNet pipeline on the base it was trained from
    from diffusers import ControlNetModel, StableDiffusionControlNetPipeline
    cn = ControlNetModel.from_pretrained(out, torch_dtype=torch.float32)
    assert tuple(cn.config.conditioning_embedding_out_channels) == (16, 32)      # the tiny base's VAE downsamples 2x
    pipe = StableDiffusionControlNetPipeline.from_pretrained(info['base_model'], controlnet=cn, safety_checker=None, requires_safety_checker=False)
    pipe.set_progress_bar_config(disable=True)
    from fashion_reuse.train.controlnet import control_image
    m = np.zeros((32, 32), bool); m[8:24, 10:22] = True
    ctrl = control_image(np.zeros((32, 32), np.uint8), m)
    ims = pipe(['a red dress'], image=ctrl, num_inference_steps=2, height=32, width=32, generator=torch.Generator().manual_seed(0)).images
    assert ims[0].size == (32, 32)
