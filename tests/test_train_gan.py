"The GAN-refinement training notebook runs headless under papermill and writes a refined pipeline and discriminators that load."
import json
from conftest import ROOT, run_training_notebook

def test_train_gan_smoke(tmp_path):
    out, disc, work = tmp_path/'sd_gan', tmp_path/'disc', tmp_path/'work'
    run_training_notebook('train_gan', tmp_path, output_dir=str(out), discriminator_dir=str(disc), work_dir=str(work), max_steps=2,
                          overrides=['write_pth=true'])
    import torch
    from diffusers import StableDiffusionPipeline
    from safetensors.torch import load_file
    from fashion_reuse.train.gan import load_discriminators
    info = json.loads((out/'training_info.json').read_text())
    fx = info['gan_effects']
    assert {'psnr', 'psnr_garment', 'laplacian', 'hf_energy', 'edge_sharpness', 'texture_distance'} <= set(fx['reconstruction']['refined'])
    assert {'laplacian', 'hf_energy', 'edge_sharpness', 'texture_distance', 'psnr_vs_base'} <= set(fx['generated']['refined'])
    assert (out/'MODEL_CARD.md').read_text().count('| measure |') == 2
    assert list((work/'gan'/'checkpoints').glob('checkpoint-*'))
    # the discriminators: safetensors + JSON, and the issue's .pth (plain tensors)
    discs, cfg = load_discriminators(disc/'fashion_discriminator.safetensors')
    assert set(discs) == {'patch', 'edge', 'texture'}
    assert set(torch.load(disc/'fashion_discriminator.pth', weights_only=True)) == set(load_file(disc/'fashion_discriminator.safetensors'))
    # the refined pipeline loads with diffusers and differs from its base only in the VAE decoder
    pipe = StableDiffusionPipeline.from_pretrained(out, dtype=torch.float32, local_files_only=True)
    base = StableDiffusionPipeline.from_pretrained(info['base_model'], dtype=torch.float32, local_files_only=True)
    for part in ('unet', 'text_encoder'):
        for a, b in zip(getattr(base, part).state_dict().values(), getattr(pipe, part).state_dict().values()): assert torch.equal(a, b)
    for a, b in zip(base.vae.encoder.state_dict().values(), pipe.vae.encoder.state_dict().values()): assert torch.equal(a, b)
    assert not torch.equal(base.vae.decoder.conv_out.weight, pipe.vae.decoder.conv_out.weight)
    pipe.set_progress_bar_config(disable=True)
    assert pipe('a red dress', num_inference_steps=2, height=32, width=32).images[0].size == (32, 32)
