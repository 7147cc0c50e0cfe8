"""A `pip install` (not editable) must carry the mini model zoo and the configs: the package has to generate offline."""
import subprocess, sys, zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_mini_zoo_and_configs(tmp_path):
    r = subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '-q', '-w', str(tmp_path), str(ROOT)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    names = set(zipfile.ZipFile(next(tmp_path.glob('*.whl'))).namelist())
    shipped = {str(p.relative_to(ROOT)) for p in (ROOT/'checkpoints'/'mini').rglob('*') if p.is_file() and not p.name.startswith('.')}
    assert shipped, 'checkpoints/mini is empty'
    missing = {s for s in shipped if f'fashion_reuse/{s}' not in names}
    assert not missing, f'not in the wheel: {sorted(missing)[:10]}'
    for cfg in (ROOT/'configs').glob('*.yaml'): assert f'fashion_reuse/configs/{cfg.name}' in names
    assert 'fashion_reuse/assets/fashion_mnist_sample/LICENSE' in names or any(n.startswith('fashion_reuse/assets/') for n in names)
