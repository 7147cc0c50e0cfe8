"Repository-level checks for the foundation: imports stay light, the CLI works from a shell, configs parse, saves are atomic."
import json, os, signal, subprocess, sys, textwrap, time, importlib, pkgutil
from pathlib import Path
import pytest, yaml
from conftest import ROOT, run_cli

NEVER_AT_IMPORT = ('diffusers', 'transformers', 'fastai', 'peft', 'accelerate', 'chromadb', 'wandb', 'datasets', 'open_clip', 'cv2')
TORCH_OK = ('fashion_reuse.models', 'fashion_reuse.train', 'fashion_reuse.inference', 'fashion_reuse.evaluation')

def _imports_after(code):
    r = subprocess.run([sys.executable, '-c', textwrap.dedent(code) + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return set(json.loads(r.stdout.strip().splitlines()[-1]))

def test_import_is_light():
    "`import fashion_reuse` and the CLI load no torch and no heavy library; no module imports the heaviest ones at import time."
    mods = _imports_after("import fashion_reuse, fashion_reuse.core, fashion_reuse.cli; fashion_reuse.cli.build_parser()")
    assert not {'torch', *NEVER_AT_IMPORT} & mods, sorted({'torch', *NEVER_AT_IMPORT} & mods)
    import fashion_reuse
    names = [m.name for m in pkgutil.walk_packages(fashion_reuse.__path__, 'fashion_reuse.') if not m.name.endswith('__main__')]
    for name in names:
        mods = _imports_after(f"import {name}")
        heavy = set(NEVER_AT_IMPORT) | (set() if name.startswith(TORCH_OK) else {'torch'})
        assert not heavy & mods, f"{name} imports {sorted(heavy & mods)} at import time: import them inside the functions that need them"

def test_console_script_help_and_version():
    import fashion_reuse
    r = subprocess.run(['fashion-reuse', '--help'], capture_output=True, text=True)
    assert r.returncode == 0 and 'usage: fashion-reuse' in r.stdout
    r = subprocess.run(['fashion-reuse', '--version'], capture_output=True, text=True)
    assert r.stdout.strip() == f'fashion-reuse {fashion_reuse.__version__}'

def test_cli_error_is_one_line_not_a_traceback():
    r = run_cli('info', '--device', 'no-such-device')
    assert r.returncode != 0
    assert 'Traceback' not in r.stderr and "unknown device 'no-such-device'" in r.stderr, r.stderr

def test_version_matches_settings():
    import configparser, fashion_reuse
    cfg = configparser.ConfigParser(); cfg.read(ROOT/'settings.ini')
    assert cfg['DEFAULT']['version'] == fashion_reuse.__version__

REQUIRED_CONFIGS = ['dataset', 'train_lora', 'train_controlnet', 'train_ip_adapter', 'train_segmentation', 'inference']

def test_required_configs_exist():
    missing = [n for n in REQUIRED_CONFIGS if not (ROOT/'configs'/f'{n}.yaml').exists()]
    assert not missing, missing

@pytest.mark.parametrize('path', sorted((ROOT/'configs').glob('*.yaml')), ids=lambda p: p.stem)
def test_configs_parse_and_have_mini_settings(path):
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict) and data, path
    assert 'mini' in data.get('profiles', {}) or 'mini' in data.get('backends', {}), f'{path} has no mini settings'

def test_settings_keep_papermill_tags():
    import configparser
    cfg = configparser.ConfigParser(); cfg.read(ROOT/'settings.ini')
    d = cfg['DEFAULT']
    assert d['allowed_cell_metadata_keys'] == 'tags' and d['tst_flags'] == 'notest slow gpu' and d['cell_number'] == 'False'

def test_readme_agrees_with_index():
    sys.path.insert(0, str(ROOT/'tools'))
    from ci_checks import render_readme
    assert (ROOT/'README.md').read_text() == render_readme()
    readme = (ROOT/'README.md').read_text()
    first_block = readme.split('```sh', 1)[1].split('```', 1)[0].strip().splitlines()
    assert first_block == ['pip install -e ".[dev]"', 'make test'], first_block

def test_killed_save_leaves_no_partial_file(tmp_path):
    "kill -9 in the middle of an atomic write: the target never exists half-written."
    target = tmp_path/'big.png'
    code = textwrap.dedent(f"""
        import sys, time
        from fashion_reuse.core import atomic_write
        def slow(f):
            for i in range(1000):
                f.write(b'x' * 100_000); f.flush()
                if i == 5: print('writing', flush=True)
                time.sleep(0.01)
        atomic_write({str(target)!r}, slow)
    """)
    p = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == 'writing'
    p.send_signal(signal.SIGKILL); p.wait()
    assert not target.exists()
    # the next save of the same file succeeds and is whole
    from fashion_reuse.core import atomic_write_bytes
    atomic_write_bytes(target, b'complete')
    assert target.read_bytes() == b'complete'

def test_png_metadata_round_trip_in_fresh_process(tmp_path):
    "An image saved with its recipe can be read back by a different process from the file alone."
    from PIL import Image
    from fashion_reuse.core import save_image, generation_metadata
    md = generation_metadata('a pastel linen shirt', seed=7, steps=20, guidance=2.5, model='checkpoints/mini/sd')
    save_image(Image.new('RGB', (16, 16), 'pink'), tmp_path/'a.png', md)
    r = subprocess.run([sys.executable, '-c', f"import json; from fashion_reuse.core import read_image_metadata; print(json.dumps(read_image_metadata({str(tmp_path/'a.png')!r})))"],
                       capture_output=True, text=True)
    assert json.loads(r.stdout) == json.loads(json.dumps(md))

@pytest.mark.parametrize('path', sorted((ROOT/'nbs'/'train').glob('*.ipynb')), ids=lambda p: p.stem)
def test_papermill_reads_every_training_parameter(path):
    "`papermill --help-notebook` lists every name the parameters cell assigns (a second '=' on a line, even in a comment, hides it)."
    import ast, papermill as pm
    cell = next(c for c in json.loads(path.read_text())['cells'] if 'parameters' in c.get('metadata', {}).get('tags', []))
    assigned = {t.id for node in ast.parse(''.join(cell['source'])).body if isinstance(node, ast.Assign) for t in node.targets}
    assert assigned and set(pm.inspect_notebook(str(path))) == assigned
