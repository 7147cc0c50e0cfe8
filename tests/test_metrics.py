"""The user-study aggregation script, run as a user would: `python evaluation/aggregate_ratings.py sheets…`."""
import json, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT/'evaluation'/'aggregate_ratings.py'
HEADER = 'rater_id,item_id,system,realism,wearability,prompt_satisfaction,upcycling_usefulness,comment\n'

def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120)

def test_aggregate_ratings_script(tmp_path):
    a, b = tmp_path/'r01.csv', tmp_path/'r02.csv'
    a.write_text(HEADER + ''.join(f'r01,{i},mini,4,3,5,{2 + i % 2},\n' for i in range(10)) + 'r01,0,sd15,2,2,2,2,blurry\n')
    b.write_text(HEADER + ''.join(f'r02,{i},mini,5,3,,4,\n' for i in range(10)))
    out = tmp_path/'summary.json'
    r = run(a, b, '--json', out)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].startswith('| group | realism | wearability | prompt satisfaction | upcycling usefulness | n |')
    rows = {(d['group'], d['criterion']): d for d in json.loads(out.read_text())}
    assert rows[('mini', 'realism')]['mean'] == 4.5 and rows[('mini', 'realism')]['n'] == 20 and rows[('mini', 'realism')]['raters'] == 2
    assert rows[('mini', 'prompt_satisfaction')]['n'] == 10                     # empty cells are skipped
    m = rows[('mini', 'upcycling_usefulness')]
    assert m['low'] < m['mean'] < m['high'] and abs(m['mean'] - 3.25) < 1e-9
    assert rows[('sd15', 'wearability')]['mean'] == 2.0

def test_aggregate_ratings_script_bad_value(tmp_path):
    bad = tmp_path/'bad.csv'
    bad.write_text(HEADER + 'r01,1,mini,4,seven,3,3,\n')
    r = run(bad)
    assert r.returncode == 2 and 'Traceback' not in r.stderr
    assert "line 2: wearability = 'seven'" in r.stderr
