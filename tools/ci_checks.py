#!/usr/bin/env python
"""The repository checks that run before the tests (see `make test`).

  python tools/ci_checks.py clean     notebooks are clean (nbdev_clean changes nothing)
  python tools/ci_checks.py sync      the library is in sync with the notebooks (nbdev_export changes nothing)
  python tools/ci_checks.py render    every notebook renders to HTML offline (jupyter nbconvert), into _docs_html/
  python tools/ci_checks.py readme    README.md agrees with nbs/index.ipynb   [--write to regenerate it]
"""
import argparse, hashlib, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS, LIB = ROOT/'nbs', ROOT/'fashion_reuse'

def _digest(paths):
    return {p.relative_to(ROOT).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}

def _notebooks():
    return sorted(p for p in NBS.rglob('*.ipynb') if not any(q.startswith(('_', '.')) or q == 'executed' for q in p.relative_to(NBS).parts[:-1]))

def _changed(before, after):
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))

def _run_and_compare(cmd, paths, what, fix):
    before = _digest(paths())
    subprocess.run(cmd, cwd=ROOT, check=True)
    changed = _changed(before, _digest(paths()))
    if changed:
        print(f"FAIL: {what}; `{' '.join(cmd)}` changed:\n  " + '\n  '.join(changed) + f"\n{fix}")
        return 1
    print(f"ok: {what}")
    return 0

def check_clean():
    return _run_and_compare(['nbdev_clean'], _notebooks, 'notebooks are clean',
                            'Those notebooks are now cleaned in your working tree: review and commit them.')

def check_sync():
    return _run_and_compare(['nbdev_export'], lambda: sorted(LIB.rglob('*.py')), 'library is in sync with the notebooks',
                            'The library was edited by hand or not exported: edit the notebooks, run nbdev_export, commit both.')

def render_readme() -> str:
    "README.md's text: nbs/index.ipynb converted to Markdown offline."
    from nbconvert import MarkdownExporter
    body, _ = MarkdownExporter().from_filename(str(NBS/'index.ipynb'))
    return body.strip() + '\n'

def check_readme(write=False):
    text, readme = render_readme(), ROOT/'README.md'
    if write:
        readme.write_text(text)
        print('wrote README.md')
        return 0
    if not readme.exists() or readme.read_text() != text:
        print('FAIL: README.md differs from nbs/index.ipynb: edit the notebook, then run `make readme`.')
        return 1
    print('ok: README.md agrees with nbs/index.ipynb')
    return 0

def check_render(out=ROOT/'_docs_html'):
    from nbconvert import HTMLExporter
    out.mkdir(exist_ok=True)
    exp, bad, nbs = HTMLExporter(), [], [p for p in _notebooks() if not p.name.startswith('_')]
    for p in nbs:
        try:
            body, _ = exp.from_filename(str(p))
            dest = out/p.relative_to(NBS).with_suffix('.html')
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(body)
        except Exception as e: bad.append(f"{p.relative_to(ROOT)}: {type(e).__name__}: {e}")
    if bad:
        print('FAIL: notebooks that do not render to HTML:\n  ' + '\n  '.join(bad))
        return 1
    print(f'ok: {len(nbs)} notebooks render to HTML in {out.relative_to(ROOT)}/')
    return 0

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('check', choices=['clean', 'sync', 'render', 'readme'])
    ap.add_argument('--write', action='store_true', help='readme: regenerate README.md instead of checking it')
    a = ap.parse_args()
    sys.exit(dict(clean=check_clean, sync=check_sync, render=check_render,
                  readme=lambda: check_readme(a.write))[a.check]())
