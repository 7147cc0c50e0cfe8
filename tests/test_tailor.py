"""`tailor_run` in a fresh process (no notebook globals): a run folder in, tailoring.md and tailoring.json out, grounded."""
import json, subprocess, sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent

CODE = """
import json, sys
from fashion_reuse.inference.tailor import tailor_run, ungrounded_mentions
md, js = tailor_run(sys.argv[1])
d = json.loads(js)
print(json.dumps(dict(bad=ungrounded_mentions(md, d['before'], d['after'], d['edits'], d['category']), category=d['category'],
                      actions=[s['action'] for s in d['steps']], image=d['run']['image'])))
"""

def garment(color, sleeves=True, hem=58):
    "A 64x64 t-shirt silhouette in `color` on a light grey background, and its mask."
    m = np.zeros((64, 64), bool); m[10:hem, 20:44] = True
    if sleeves: m[10:24, 8:56] = True
    a = np.full((64, 64, 3), 225, np.uint8); a[m] = color
    return a

def test_tailor_run_fresh_process(tmp_path):
    Image.fromarray(garment((200, 30, 40))).save(tmp_path/'input.png')
    Image.fromarray(garment((35, 90, 195), sleeves=False, hem=46)).save(tmp_path/'rank01_seed3.png')
    Image.fromarray(garment((200, 30, 40))).save(tmp_path/'rank02_seed1.png')
    (tmp_path/'result.json').write_text(json.dumps(dict(
        mode='refine', prompt='a red t-shirt', seed=0, backend='mini', input_image='input.png',
        images=[dict(path='rank02_seed1.png', seed=1, rank=2, scores={}, total=0.1), dict(path='rank01_seed3.png', seed=3, rank=1, scores={}, total=0.9)],
        edits=[dict(kind='sleeveless', region='sleeves'), dict(kind='hem_crop'), dict(kind='color', color='blue')])))
    r = subprocess.run([sys.executable, '-c', CODE, str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out['bad'] == [] and out['image'] == 'rank01_seed3.png' and out['category'] == 'tee'
    assert {'unpick', 'cut', 'stitch', 'dye', 'press'} <= set(out['actions'])
    md = (tmp_path/'tailoring.md').read_text()
    assert md.startswith('# Tailoring plan: t-shirt') and 'blue' in md and 'pocket' not in md.lower()
    assert json.loads((tmp_path/'tailoring.json').read_text())['difficulty'] in range(1, 6)
