import os, sys, subprocess
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault('HF_HUB_OFFLINE', '1')
os.environ.setdefault('MPLBACKEND', 'Agg')

def run_cli(*args, cwd=ROOT, timeout=300, env=None):
    "Run `fashion-reuse ARGS` in a subprocess (as a user would) and return the CompletedProcess."
    e = {**os.environ, 'HF_HUB_OFFLINE': '1', **(env or {})}
    return subprocess.run([sys.executable, '-m', 'fashion_reuse', *map(str, args)], cwd=cwd, env=e,
                          capture_output=True, text=True, timeout=timeout)

@pytest.fixture
def cli():
    return run_cli

def run_training_notebook(name: str, tmp_path, **parameters) -> Path:
    "Execute nbs/train/<name>.ipynb headless with papermill, as a user runs it, with `parameters`; return the executed copy's path."
    import papermill as pm
    out = Path(tmp_path)/f'{name}.executed.ipynb'
    pm.execute_notebook(str(ROOT/'nbs'/'train'/f'{name}.ipynb'), str(out), parameters=parameters, cwd=str(ROOT),
                        kernel_name='python3', progress_bar=False)
    return out
