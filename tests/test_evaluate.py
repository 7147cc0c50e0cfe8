"`fashion-reuse evaluate` run as a user runs it, at the CI size: a tiny random zoo (base, LoRA, ControlNet, IP-Adapter) and a stand-in GAN refiner, so every variant of the ablation is exercised."
import json, math, os, textwrap
from pathlib import Path
import pytest
from conftest import ROOT, run_cli

VARIANTS = ['base', 'lora', 'lora_controlnet', 'ip_adapter', 'gan']
METRICS = {'clip_score', 'prompt_fidelity', 'structure_consistency', 'edge_alignment', 'texture_distance'}

@pytest.fixture(scope='module')
def setup(tmp_path_factory):
    "Tiny FMC data, the tiny zoo, and a stand-in GAN refiner module (a median filter) with a checkpoint file."
    from fashion_reuse.data.fmc import build_fmc
    from fashion_reuse.data.preprocess import build_processed, iter_source, DatasetConfig
    from fashion_reuse.evaluation.report import tiny_zoo
    tmp = tmp_path_factory.mktemp('evaluate')
    build_processed(iter_source('fmc', build_fmc(tmp/'raw', n=48, seed=0, progress=False)), tmp/'proc',
                    DatasetConfig(source='fmc', size=64, min_side=28, workers=1), progress=False)
    zoo = tiny_zoo(tmp/'zoo')
    (tmp/'mods').mkdir()
    (tmp/'mods'/'stand_in_gan.py').write_text(textwrap.dedent('''
        from PIL import ImageFilter
        def load_refiner(path, device='cpu'):
            open(path, 'rb').close()   # the checkpoint must exist
            return lambda images: [im.filter(ImageFilter.MedianFilter(3)) for im in images]
    '''))
    (tmp/'gan.safetensors').write_bytes(b'')
    env = {'PYTHONPATH': os.pathsep.join([str(tmp/'mods'), os.environ.get('PYTHONPATH', '')]), 'OMP_NUM_THREADS': '1'}
    common = [f"data={tmp/'proc'}", f"inference={zoo['inference']}"]
    return tmp, zoo, env, common

def _evaluate(tmp, env, name, *sets):
    return run_cli('evaluate', '--config', 'configs/evaluate.yaml', '--profile', 'tiny', '--out', tmp/'eval', '--name', name, '--set', *sets, env=env)

def test_evaluate_every_variant(setup):
    tmp, zoo, env, common = setup
    r = _evaluate(tmp, env, 'all', *common, f"lora={zoo['lora']}", f"gan={tmp/'gan.safetensors'}", 'gan_loader=stand_in_gan:load_refiner')
    assert r.returncode == 0, r.stderr[-3000:]
    run = tmp/'eval'/'all'
    for f in ('report.md', 'metrics.json', 'grid.png', 'plots/overview.png', 'plots/clip_score.png', 'plots/FD-EffNetLite0.png', 'ranking_0.png'):
        assert (run/f).exists(), f
    m = json.loads((run/'metrics.json').read_text())
    assert [m['variants'][v]['status'] for v in VARIANTS] == ['ok'] * 5
    assert m['variants']['ip_adapter']['components'] == ['lora', 'controlnet', 'ip_adapter'] and m['variants']['gan']['refines'] == 'ip_adapter'
    for v in VARIANTS:
        s = m['variants'][v]['summary']
        assert set(s) == METRICS, (v, s.keys())
        assert all(s[k]['n'] == 6 and math.isfinite(s[k]['mean']) and s[k]['low'] <= s[k]['mean'] <= s[k]['high'] for k in METRICS), (v, s)
        assert m['variants'][v]['distribution']['FD-EffNetLite0'] >= 0 and len(m['variants'][v]['per_image']['clip_score']) == 6
        if v != 'base': assert set(m['variants'][v]['difference']) == METRICS
    assert m['variants']['real']['summary']['edge_alignment']['mean'] > 0.999     # the real images are the control edges' source
    assert m['ranking']['status'] == 'ok' and m['ranking']['prompts'] == 2 and m['ranking']['candidates'] == 4
    assert [c['seed'] for c in m['cases']] == list(range(6)) and len({c['sample_id'] for c in m['cases']}) == 6
    rep = (run/'report.md').read_text()
    assert '| +LoRA+ControlNet |' in rep and 'FD-EffNetLite0 ↓' in rep and 'FID' not in rep.replace('FID/KID', '')
    assert 'wall time' in rep and str(zoo['controlnet']) in rep
    assert '| variant | CLIPScore ↑' in r.stdout and f"report: {run/'report.md'}" in r.stdout
    assert len(list((run/'images'/'gan').glob('*.png'))) == 6

def test_evaluate_missing_checkpoints_are_reported(setup):
    "No LoRA, no GAN: their rows say 'not available (<path> missing)'; the rest runs, with the same images for the same seeds."
    tmp, zoo, env, common = setup
    r = _evaluate(tmp, env, 'partial', *common, 'lora=checkpoints/mini/no_such_lora.safetensors', 'gan=checkpoints/mini/no_such_gan',
                  'variants=[base,lora,lora_controlnet,ip_adapter,gan]', 'ranking_prompts=0', 'save_images=false')
    assert r.returncode == 0, r.stderr[-3000:]
    m = json.loads((tmp/'eval'/'partial'/'metrics.json').read_text())
    v = m['variants']
    assert v['lora']['status'] == v['lora_controlnet']['status'] == 'not available (checkpoints/mini/no_such_lora.safetensors missing)'
    assert v['gan']['status'] == 'not available (checkpoints/mini/no_such_gan missing)'
    assert v['ip_adapter']['status'] == 'ok' and v['ip_adapter']['components'] == ['controlnet', 'ip_adapter']
    rep = (tmp/'eval'/'partial'/'report.md').read_text()
    assert '| +GAN refinement | not available (checkpoints/mini/no_such_gan missing) |' in rep
    full = tmp/'eval'/'all'/'metrics.json'
    if full.exists():   # fixed cases and seeds: the base images (and so their measures) are those of the other run
        assert json.loads(full.read_text())['variants']['base']['per_image'] == v['base']['per_image']

def test_evaluate_bad_input_is_one_line(setup):
    tmp, zoo, env, common = setup
    r = run_cli('evaluate', '--profile', 'tiny', '--set', f"data={tmp/'nowhere'}", env=env)
    assert r.returncode == 2 and 'Traceback' not in r.stderr and 'no metadata.jsonl' in r.stderr, r.stderr
    r = run_cli('evaluate', '--profile', 'tiny', '--set', *common, f"inference={tmp/'nowhere.yaml'}", env=env)
    assert r.returncode == 2 and 'Traceback' not in r.stderr and 'not found' in r.stderr, r.stderr
