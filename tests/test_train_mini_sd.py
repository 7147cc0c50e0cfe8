"The mini-SD training notebook runs headless under papermill and writes a pipeline diffusers loads."
from conftest import ROOT, run_training_notebook

def test_train_mini_sd_smoke(tmp_path):
    out = tmp_path/'sd'
    run_training_notebook('train_mini_sd', tmp_path, output_dir=str(out), work_dir=str(tmp_path/'work'), vae_steps=2, unet_steps=2)
    from diffusers import StableDiffusionPipeline
    pipe = StableDiffusionPipeline.from_pretrained(out, local_files_only=True)
    assert pipe.scheduler.config.prediction_type == 'v_prediction'
    assert (out/'MODEL_CARD.md').exists() and (out/'unet'/'diffusion_pytorch_model.safetensors').exists()
    # both stages wrote checkpoints to resume from
    assert list((tmp_path/'work'/'vae'/'checkpoints').glob('checkpoint-*')) and list((tmp_path/'work'/'unet'/'checkpoints').glob('checkpoint-*'))
    # continuing from the saved pipeline: its VAE and text encoder are kept as they are, only the UNet trains on
    more = tmp_path/'sd_more'
    run_training_notebook('train_mini_sd', tmp_path, output_dir=str(more), work_dir=str(tmp_path/'work_more'), init_from=str(out),
                          vae_steps=0, unet_steps=2, unet_learning_rate=1e-3, unet_warmup_steps=0)
    import torch
    from safetensors.torch import load_file
    def weights(p, part): return load_file(str(next((p/part).glob('*.safetensors'))))
    for part in ('vae', 'text_encoder'):
        a, b = weights(out, part), weights(more, part)
        assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a), part
    u0, u1 = weights(out, 'unet'), weights(more, 'unet')
    assert u0.keys() == u1.keys() and any(not torch.equal(u0[k], u1[k]) for k in u0)
    assert not list((tmp_path/'work_more').glob('vae/checkpoints/checkpoint-*'))  # no VAE training
