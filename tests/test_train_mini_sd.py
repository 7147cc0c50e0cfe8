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
