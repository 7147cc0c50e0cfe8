"The inpainting training notebook runs headless under papermill and writes a `StableDiffusionInpaintPipeline` folder."
import json
from conftest import ROOT, run_training_notebook

def test_train_inpaint_smoke(tmp_path):
    out, work = tmp_path/'sd_inpaint', tmp_path/'work'
    run_training_notebook('train_inpaint', tmp_path, output_dir=str(out), work_dir=str(work), max_train_steps=2, eval_images=4, tagger=str(ROOT/'checkpoints/mini/tagger'))
    import torch
    from PIL import Image
    from diffusers import StableDiffusionInpaintPipeline, StableDiffusionPipeline
    info = json.loads((out/'training_info.json').read_text())
    assert (out/'MODEL_CARD.md').exists() and (out/'unet'/'diffusion_pytorch_model.safetensors').exists()
    assert {'recolour', 'category_kept', 'pattern_kept', 'from_scratch'} <= set(info['metrics'])
    assert list((work/'unet'/'checkpoints').glob('checkpoint-*'))
    pipe = StableDiffusionInpaintPipeline.from_pretrained(out, dtype=torch.float32, local_files_only=True)
    assert pipe.unet.config.in_channels == 9
    # same VAE and text encoder as the base it was made from
    base = StableDiffusionPipeline.from_pretrained(info['base_model'], dtype=torch.float32, local_files_only=True)
    for name in ('vae', 'text_encoder'):
        for a, b in zip(getattr(base, name).state_dict().values(), getattr(pipe, name).state_dict().values()): assert torch.equal(a, b)
    mask = Image.new('L', (32, 32), 0); mask.paste(255, (8, 8, 24, 24))
    im = pipe('a red dress', image=Image.new('RGB', (32, 32), 'white'), mask_image=mask, num_inference_steps=2, height=32, width=32).images[0]
    assert im.size == (32, 32)
