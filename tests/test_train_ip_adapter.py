"The IP-Adapter training notebook runs headless under papermill and writes a folder diffusers' `load_ip_adapter` reads."
import json
from conftest import ROOT, run_training_notebook

def test_train_ip_adapter_smoke(tmp_path):
    out, work = tmp_path/'ip_adapter', tmp_path/'work'
    run_training_notebook('train_ip_adapter', tmp_path, output_dir=str(out), work_dir=str(work), max_train_steps=2, eval_images=4, tagger=str(ROOT/'checkpoints/mini/tagger'))
    import numpy as np, torch
    from PIL import Image
    from diffusers import StableDiffusionPipeline
    info = json.loads((out/'ip_adapter_info.json').read_text())
    assert (out/'ip_adapter.safetensors').exists() and (out/'image_encoder'/'preprocessor_config.json').exists() and (out/'MODEL_CARD.md').exists()
    assert set(info['metrics']['match']) == {'color', 'pattern', 'all'} and info['metrics']['n'] == 4
    # the engine wrote adapter-only checkpoints to resume from
    assert list((work/'adapter'/'checkpoints').glob('checkpoint-*'))
    # a fresh base pipeline loads the folder with diffusers alone, and the reference image steers the output
    pipe = StableDiffusionPipeline.from_pretrained(info['base_model'], dtype=torch.float32, local_files_only=True,
                                                   safety_checker=None, requires_safety_checker=False)
    pipe.load_ip_adapter(str(out), subfolder='', weight_name='ip_adapter.safetensors', local_files_only=True)
    kw = dict(num_inference_steps=2, height=32, width=32, output_type='np')
    a, b = [pipe('a dress', ip_adapter_image=Image.new('RGB', (32, 32), c), generator=torch.Generator().manual_seed(0), **kw).images[0]
            for c in ('red', 'blue')]
    assert a.shape == (32, 32, 3) and np.abs(a - b).mean() > 1e-4
