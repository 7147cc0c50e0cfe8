"`fashion-reuse index` and `fashion-reuse search` as a user runs them, on a tiny processed FMC, with the configured (shipped) CLIP."
import collections, json, subprocess, sys
from pathlib import Path
import pytest
from conftest import ROOT, run_cli

pytestmark = pytest.mark.skipif(not (ROOT/'checkpoints/mini/clip/model.safetensors').exists(), reason='mini-CLIP not trained yet')

@pytest.fixture(scope='module')
def processed(tmp_path_factory):
    "A 240-garment processed FMC built with the library (not the CLI under test)."
    from fashion_reuse.data.fmc import build_fmc
    from fashion_reuse.data.preprocess import build_processed, iter_source, DatasetConfig
    d = tmp_path_factory.mktemp('search')
    build_processed(iter_source('fmc', build_fmc(d/'raw', n=240, seed=1, progress=False)), d/'processed',
                    DatasetConfig(source='fmc', size=64, min_side=28, workers=1), progress=False)
    return d/'processed'

@pytest.fixture(scope='module')
def index(processed, tmp_path_factory):
    idx = tmp_path_factory.mktemp('idx')/'index'
    r = run_cli('index', '--data', processed, '--index', idx, '--quiet')
    assert r.returncode == 0, r.stderr
    assert '240 garments indexed' in r.stdout, r.stdout
    return idx

def _is_float(s):
    try: float(s); return True
    except ValueError: return False

def _rows(stdout):
    "The result rows: rank, score, category, colours, path (the header line starts with a number too)."
    return [l.split() for l in stdout.splitlines() if len(l.split()) >= 5 and l.split()[0].isdigit() and _is_float(l.split()[1])]

def test_help():
    for cmd in ('search', 'index'):
        r = run_cli(cmd, '--help')
        assert r.returncode == 0 and 'usage:' in r.stdout and '--index' in r.stdout

def test_search_prints_hits_and_writes_sheet(index, tmp_path):
    out = tmp_path/'sheet.png'
    r = run_cli('search', 'red striped dress', '-k', '8', '--index', index, '--out', out)
    assert r.returncode == 0, r.stderr
    rows = _rows(r.stdout)
    assert [int(x[0]) for x in rows] == list(range(1, 9)), r.stdout
    scores = [float(x[1]) for x in rows]
    assert scores == sorted(scores, reverse=True)
    assert all(Path(x[-1]).is_file() for x in rows)
    from fashion_reuse.core import read_image_metadata
    md = read_image_metadata(out)
    assert md['query'] == 'red striped dress' and len(md['hits']) == 8

def test_search_finds_the_right_garments(processed, index):
    "For the most common category x colour of the data, most of the top hits have that category and colour."
    from fashion_reuse.data.preprocess import read_metadata
    from fashion_reuse.data.prompts import garment_noun
    recs = read_metadata(processed)
    (cat, col), n = collections.Counter((r['category'], r['attributes']['color'][0]) for r in recs).most_common(1)[0]
    k = min(n, 4)
    r = run_cli('search', f'a {garment_noun(cat)}, {col}', '-k', str(k), '--index', index, '--out', index.parent/'x.png')
    assert r.returncode == 0, r.stderr
    hits = _rows(r.stdout)
    right = sum(h[2] == cat and col in h[3].split(',')[:1] for h in hits)
    assert right >= k - 1, (cat, col, r.stdout)

def test_search_by_image_finds_itself(processed, index):
    from fashion_reuse.data.preprocess import read_metadata
    rec = read_metadata(processed)[7]
    r = run_cli('search', '--image', processed/rec['image_path'], '-k', '3', '--index', index, '--out', index.parent/'y.png')
    assert r.returncode == 0, r.stderr
    assert _rows(r.stdout)[0][-1] == str((processed/rec['image_path']).resolve())

def test_missing_index_is_built_from_data(processed, tmp_path):
    idx = tmp_path/'new-index'
    r = run_cli('search', 'navy coat', '-k', '3', '--index', idx, '--data', processed, '--out', tmp_path/'s.png')
    assert r.returncode == 0, r.stderr
    assert 'building it from' in r.stderr and len(_rows(r.stdout)) == 3
    assert (idx/'chroma.sqlite3').exists()

def test_missing_index_without_data_says_how_to_build(tmp_path):
    r = run_cli('search', 'navy coat', '--index', tmp_path/'none', '--data', tmp_path/'no-data')
    assert r.returncode == 2 and 'Traceback' not in r.stderr
    assert 'fashion-reuse index --data' in r.stderr, r.stderr

def test_index_survives_a_new_process_and_resumes(processed, index):
    r = run_cli('index', '--data', processed, '--index', index, '--quiet')
    assert r.returncode == 0 and '240 garments indexed' in r.stdout, r.stdout + r.stderr
    code = f"from fashion_reuse.models.embeddings import VectorStore; print(VectorStore({str(index)!r}, create=False).count())"
    assert subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=ROOT).stdout.strip() == '240'

def test_index_refuses_another_model(processed, index, tmp_path):
    "An index made with one CLIP is not queried with another."
    from fashion_reuse.models.clip import ClipArch, build_clip, save_clip, load_clip
    enc = load_clip(ROOT/'checkpoints/mini/clip')
    other = save_clip(build_clip(ClipArch(vision_width=32, vision_layers=1, vision_heads=1, text_width=32, text_layers=1, text_heads=1)),
                      tmp_path/'other', enc.tokenizer, enc.processor)
    r = run_cli('search', 'red dress', '--index', index, '--model', other)
    assert r.returncode == 2 and 'rebuild it with' in r.stderr, r.stderr
