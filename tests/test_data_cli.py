"The data commands as a user runs them: build FMC, preprocess it, load it with `datasets`, survive kill -9."
import json, os, signal, subprocess, sys, time
from pathlib import Path
import pytest
from conftest import ROOT, run_cli

FIELDS = ['image_path', 'prompt', 'category', 'category_type', 'attributes', 'colors', 'edge_path', 'mask_path',
          'mask_source', 'split', 'source', 'quality', 'file_name', 'text']

@pytest.fixture(scope='module')
def fmc(tmp_path_factory):
    d = tmp_path_factory.mktemp('fmc')
    r = run_cli('data', 'fmc', '--out', d/'raw', '--n', '300', '--seed', '3', '--quiet')
    assert r.returncode == 0, r.stderr
    return d/'raw'

@pytest.fixture(scope='module')
def processed(fmc, tmp_path_factory):
    out = tmp_path_factory.mktemp('proc')/'processed'
    r = run_cli('data', 'build', '--source', 'fmc', '--raw', fmc, '--out', out, '--workers', '2', '--quiet')
    assert r.returncode == 0, r.stderr
    return out

def test_help():
    for args in (['data', '--help'], ['data', 'build', '--help'], ['data', 'fmc', '--help']):
        r = run_cli(*args)
        assert r.returncode == 0 and 'usage:' in r.stdout

def test_metadata_fields_and_files(processed):
    lines = [json.loads(l) for l in (processed/'metadata.jsonl').read_text().splitlines()]
    assert len(lines) == 300
    for m in lines:
        assert set(FIELDS) <= set(m), set(FIELDS) - set(m)
        for k in ('image_path', 'edge_path', 'mask_path'): assert (processed/m[k]).is_file(), m[k]
        assert m['file_name'] == m['image_path'] and m['text'] == m['prompt']
        assert m['category_type'] in ('upper', 'lower', 'full') and m['split'] in ('train', 'val', 'test')
        assert m['source'] == 'fmc' and m['mask_source'] == 'dataset'
        assert abs(sum(c['fraction'] for c in m['colors']) - 1) < 0.01
        assert (processed/'prompts'/(m['sample_id'] + '.txt')).read_text().strip() == m['prompt']
    assert {m['split'] for m in lines} >= {'train', 'test'}

def test_loads_as_imagefolder(processed):
    import datasets
    ds = datasets.load_dataset('imagefolder', data_dir=str(processed), split='train')
    assert len(ds) == 300 and ds[0]['image'].size == (64, 64)
    assert {'text', 'split', 'mask_path', 'edge_path'} <= set(ds.column_names)

def test_kill9_then_resume_matches_clean_run(fmc, processed, tmp_path):
    "kill -9 in the middle of a build, re-run: the same metadata as one clean run, no partial or duplicate lines."
    out = tmp_path/'killed'
    cmd = [sys.executable, '-m', 'fashion_reuse', 'data', 'build', '--source', 'fmc', '--raw', str(fmc), '--out', str(out), '--workers', '2', '--quiet']
    p = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, 'HF_HUB_OFFLINE': '1'}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    meta, t0 = out/'metadata.jsonl', time.time()
    while time.time() - t0 < 120:
        if meta.exists() and meta.read_bytes().count(b'\n') >= 60: break
        time.sleep(0.05)
    os.killpg(p.pid, signal.SIGKILL); p.wait()
    n_before = meta.read_bytes().count(b'\n')
    assert 60 <= n_before < 300, f'the kill landed too late to test resuming ({n_before} lines)'
    r = run_cli('data', 'build', '--source', 'fmc', '--raw', fmc, '--out', out, '--workers', '2', '--quiet')
    assert r.returncode == 0, r.stderr
    assert 'already done' in r.stdout
    assert meta.read_bytes() == (processed/'metadata.jsonl').read_bytes()

def test_corrupt_image_is_skipped_and_reported(fmc, tmp_path):
    import shutil
    raw = tmp_path/'raw'; shutil.copytree(fmc, raw)
    victims = sorted((raw/'img').rglob('*.png'))[:3]
    victims[0].write_bytes(victims[0].read_bytes()[:50])
    victims[1].write_bytes(b'')
    victims[2].unlink()
    out = tmp_path/'out'
    r = run_cli('data', 'build', '--source', 'fmc', '--raw', raw, '--out', out, '--workers', '1', '--quiet')
    assert r.returncode == 0, r.stderr
    rep = json.loads((out/'report.json').read_text())
    assert rep['skipped'] == 3 and rep['processed'] == 297
    reasons = ' '.join(d['reason'] for d in rep['skipped_images'])
    assert 'truncated' in reasons and 'empty' in reasons and 'not found' in reasons, reasons
    assert 'skipped' in r.stdout

def test_build_needs_raw_folder(tmp_path):
    r = run_cli('data', 'build', '--source', 'fmc', '--raw', tmp_path/'nope', '--out', tmp_path/'out', '--quiet')
    assert r.returncode == 2 and 'does not exist' in r.stderr and 'Traceback' not in r.stderr

def test_download_offline_fails_fast_with_instructions(tmp_path):
    import time
    t0 = time.time()
    r = run_cli('data', 'download', '--source', 'deepfashion', '--raw', tmp_path/'raw')
    assert r.returncode == 2 and 'Traceback' not in r.stderr
    assert str(tmp_path/'raw'/'deepfashion'/'Anno'/'list_category_img.txt') in r.stderr, r.stderr
    assert time.time() - t0 < 20  # includes interpreter start; the download attempt itself fails in well under 2 s

def test_verify_reports_missing_and_ok(fmc, tmp_path):
    r = run_cli('data', 'verify', '--source', 'deepfashion', '--raw', tmp_path)
    assert r.returncode == 1 and 'MISSING' in r.stdout and 'list_eval_partition.txt' in r.stdout
    r = run_cli('data', 'verify', '--source', 'fmc', '--raw', fmc)
    assert r.returncode == 0 and 'OK' in r.stdout, r.stdout

@pytest.fixture(scope='module')
def df_layout(fmc, tmp_path_factory):
    "40 FMC garments re-saved as 300 px JPEGs (the first at 120 px) in the DeepFashion layout, without masks."
    import shutil
    from PIL import Image
    raw = tmp_path_factory.mktemp('df')/'deepfashion'
    names = []
    for line in (fmc/'Anno'/'list_category_img.txt').read_text().splitlines()[2:42]:
        name = line.split()[0]; names.append(name)
        src = Image.open(fmc/name).convert('RGB')
        side = 120 if len(names) == 1 else 300  # the first image is too small for min_side=224
        dst = raw/name.replace('.png', '.jpg'); dst.parent.mkdir(parents=True, exist_ok=True)
        src.resize((side, side), Image.Resampling.BICUBIC).save(dst, quality=92)
    keep = set(names)
    for rel in ('Anno/list_category_cloth.txt', 'Anno/list_attr_cloth.txt'):
        (raw/rel).parent.mkdir(parents=True, exist_ok=True); shutil.copy(fmc/rel, raw/rel)
    for rel in ('Anno/list_category_img.txt', 'Anno/list_attr_img.txt', 'Eval/list_eval_partition.txt', 'Anno/list_bbox.txt'):
        lines = (fmc/rel).read_text().splitlines()
        rows = [l for l in lines[2:] if l.split()[0] in keep]
        if rel.endswith('bbox.txt'):  # scale the boxes with the images
            rows = [' '.join([r.split()[0]] + [str(int(int(v) * (120 if r.split()[0] == names[0] else 300) / 64)) for v in r.split()[1:]]) for r in rows]
        rows = [r.replace('.png', '.jpg') for r in rows]
        (raw/rel).parent.mkdir(parents=True, exist_ok=True)
        (raw/rel).write_text('\n'.join([str(len(rows)), lines[1], *rows]) + '\n')
    return raw

def test_build_real_layout_without_masks_uses_grabcut(df_layout, processed, tmp_path):
    "A DeepFashion-layout folder of JPEGs with no masks: crops at --size, pseudo masks from GrabCut, small images rejected."
    from PIL import Image
    raw, out = df_layout, tmp_path/'processed'
    r = run_cli('data', 'build', '--source', 'deepfashion', '--raw', raw, '--out', out, '--size', '128', '--workers', '2', '--quiet', '--masks', 'grabcut')
    assert r.returncode == 0, r.stderr
    lines = [json.loads(l) for l in (out/'metadata.jsonl').read_text().splitlines()]
    assert len(lines) == 39 and all(m['mask_source'] == 'grabcut' and m['source'] == 'deepfashion' for m in lines)
    from PIL import Image
    assert Image.open(out/lines[0]['image_path']).size == (128, 128)
    rep = json.loads((out/'report.json').read_text())
    assert rep['skipped'] == 1 and 'below the minimum side of 224px' in rep['skipped_images'][0]['reason']
    # GrabCut recovers most of the garment: IoU against FMC's true masks, processed from the same boxes at 64 px
    import numpy as np
    true = {m['source_id']: m['mask_path'] for m in map(json.loads, (processed/'metadata.jsonl').read_text().splitlines())}
    ious = []
    for m in lines:
        pred = np.asarray(Image.open(out/m['mask_path']).convert('L')) > 127
        gt = np.asarray(Image.open(processed/true[m['source_id'].replace('.jpg', '.png')]).convert('L').resize((128, 128), Image.Resampling.NEAREST)) > 127
        ious.append((pred & gt).sum() / max(1, (pred | gt).sum()))
    print(f"GrabCut pseudo-mask IoU on {len(ious)} garments: {np.mean(ious):.3f}")
    assert np.mean(ious) > 0.6, np.mean(ious)

def test_build_with_the_trained_segmenter(df_layout, tmp_path):
    "`--masks segmenter` uses the trained segmentation model as the pseudo-mask source."
    seg = ROOT/'checkpoints'/'mini'/'segmentation'
    out = tmp_path/'processed'
    r = run_cli('data', 'build', '--source', 'deepfashion', '--raw', df_layout, '--out', out, '--size', '64', '--workers', '1',
                '--quiet', '--masks', 'segmenter', f'segmenter={seg}')
    assert r.returncode == 0, r.stderr
    lines = [json.loads(l) for l in (out/'metadata.jsonl').read_text().splitlines()]
    assert len(lines) == 39 and all(m['mask_source'] == 'segmenter' for m in lines)
    r = run_cli('data', 'build', '--source', 'deepfashion', '--raw', df_layout, '--out', tmp_path/'o2', '--quiet', '--masks', 'segmenter', 'segmenter=/nowhere')
    assert r.returncode == 2 and '/nowhere' in r.stderr
