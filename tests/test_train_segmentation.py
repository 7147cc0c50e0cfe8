"Smoke test of nbs/train/train_segmentation.ipynb under papermill: it trains a few steps on tiny FMC, saves, and the result loads."
import json
import numpy as np
import pytest
from PIL import Image
from conftest import ROOT, run_training_notebook

def test_train_segmentation_notebook_smoke(tmp_path):
    papermill = pytest.importorskip('papermill')
    pytest.importorskip('segmentation_models_pytorch')
    out, run = tmp_path/'segmentation', tmp_path/'run'
    run_training_notebook('train_segmentation', tmp_path, smoke=True, output_dir=str(out), run_dir=str(run), max_steps=4, grabcut_limit=3)
    assert {'model.safetensors', 'config.json', 'MODEL_CARD.md'} <= {p.name for p in out.iterdir()}
    assert any((run/'checkpoints').glob('checkpoint-4')), 'the engine saved no checkpoint at the last step'
    conf = json.loads((out/'config.json').read_text())
    fr = conf['_fashion_reuse']
    assert fr['training']['steps'] == 4 and fr['metrics']['split'] == 'test' and 0 <= fr['metrics']['iou'] <= 1
    assert set(fr['metrics']['pseudo_mask']) == {'segmenter', 'grabcut'}
    from fashion_reuse.models.segmentation import load_segmenter
    seg = load_segmenter(out)
    masks = seg.predict([np.zeros((50, 70, 3), np.uint8), Image.new('RGB', (64, 64), 'white')])
    assert [m.shape for m in masks] == [(50, 70), (64, 64)] and all(m.dtype == bool for m in masks)
    assert 'mean garment IoU' in (out/'MODEL_CARD.md').read_text()

def test_shipped_mini_segmenter_loads_and_meets_its_card():
    "The shipped fp16 checkpoint is within budget, loads, and records a held-out IoU of at least 0.90."
    d = ROOT/'checkpoints'/'mini'/'segmentation'
    if not (d/'model.safetensors').exists(): pytest.skip('no shipped mini segmenter')
    assert sum(p.stat().st_size for p in d.iterdir()) < 3e6
    from fashion_reuse.models.segmentation import load_segmenter
    seg = load_segmenter(d)
    m = seg.info['metrics']
    assert m['split'] == 'test' and m['iou'] >= 0.90 and m['iou'] > m['chance_all_garment_iou']
    assert seg.predict(np.full((64, 64, 3), 200, np.uint8)).shape == (64, 64)
