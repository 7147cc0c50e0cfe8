"Smoke test of nbs/train/train_tagger.ipynb under papermill: it trains both phases for a few steps on tiny FMC, saves, and the result loads."
import json
import numpy as np
import pytest
from PIL import Image
from conftest import ROOT, run_training_notebook

def test_train_tagger_notebook_smoke(tmp_path):
    papermill = pytest.importorskip('papermill')
    out, run = tmp_path/'tagger', tmp_path/'run'
    run_training_notebook('train_tagger', tmp_path, smoke=True, output_dir=str(out), run_dir=str(run), frozen_steps=2, max_steps=2)
    assert {'model.safetensors', 'config.json', 'MODEL_CARD.md', 'confusion_category.png'} <= {p.name for p in out.iterdir()}
    for phase in ('frozen', 'unfrozen'):
        assert (run/phase/'checkpoints'/'checkpoint-2').is_dir(), f'the engine saved no checkpoint at the end of the {phase} phase'
    conf = json.loads((out/'config.json').read_text())
    assert conf['training']['frozen_steps'] == 2 and conf['training']['unfrozen_steps'] == 2
    m = conf['metrics']
    assert m['split'] == 'test' and {'category', 'color', 'pattern'} <= set(m['heads'])
    assert all(0 <= h['accuracy'] <= 1 and 0 < h['chance'] <= 1 for h in m['heads'].values())
    from fashion_reuse.models.tagger import load_tagger
    tagger = load_tagger(out)
    assert tagger.vocabularies == conf['vocabularies'] and 'style' not in tagger.vocabularies  # FMC has no style labels
    preds = tagger.predict([np.zeros((50, 70, 3), np.uint8), Image.new('RGB', (64, 64), 'white')], topk=2)
    assert len(preds) == 2 and set(preds[0]) == set(conf['vocabularies']) and len(preds[0]['category']) == 2
    assert 'Held-out accuracy' in (out/'MODEL_CARD.md').read_text()

def test_shipped_mini_tagger_loads_and_meets_its_card():
    "The shipped fp16 checkpoint is within budget, loads, records held-out test metrics, and tags real FMC test images."
    d = ROOT/'checkpoints'/'mini'/'tagger'
    if not (d/'model.safetensors').exists(): pytest.skip('no shipped mini tagger')
    assert sum(p.stat().st_size for p in d.iterdir()) < 10e6
    from fashion_reuse.models.tagger import load_tagger
    tagger = load_tagger(d)
    heads = tagger.config['metrics']['heads']
    assert tagger.config['metrics']['split'] == 'test'
    for h, bar in dict(color=0.90, pattern=0.85).items():
        assert heads[h]['accuracy'] >= bar and heads[h]['accuracy'] > heads[h]['chance'], (h, heads[h])
    assert heads['category']['accuracy'] > 2 * heads['category']['chance']
    # a few real held-out garments, if the processed FMC is present
    meta = ROOT/'data'/'processed'/'metadata.jsonl'
    if not meta.exists(): return
    recs = []
    with open(meta) as f:
        for line in f:
            r = json.loads(line)
            if r['split'] == 'test' and r['source'] == 'fmc': recs.append(r)
            if len(recs) >= 400: break
    recs = recs[::10]
    preds = tagger.tags([ROOT/'data'/'processed'/r['image_path'] for r in recs])
    colour = np.mean([p['color'] == r['attributes']['color'][0] for p, r in zip(preds, recs)])
    assert colour >= 0.8, colour
