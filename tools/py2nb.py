#!/usr/bin/env python
"""Write a notebook from a percent-format script (`# %%` code cells, `# %% [markdown]` prose cells).

Usage: python tools/py2nb.py SRC.py DEST.ipynb
A code cell header may carry tags: `# %% tags=["parameters"]`. Markdown lines lose their leading `# `.
An authoring aid only: the notebook in nbs/ is the source of truth once written.
"""
import json, re, sys
from pathlib import Path

def parse(text):
    cells, cur = [], None
    for line in text.splitlines():
        m = re.match(r'^# %%(.*)$', line)
        if m:
            if cur: cells.append(cur)
            hdr = m.group(1).strip()
            kind = 'markdown' if hdr.startswith('[markdown]') else 'code'
            tags = re.search(r'tags=(\[.*?\])', hdr)
            cur = dict(kind=kind, tags=json.loads(tags.group(1)) if tags else [], lines=[])
            continue
        if cur is None: continue
        if cur['kind'] == 'markdown': line = re.sub(r'^# ?', '', line)
        cur['lines'].append(line)
    if cur: cells.append(cur)
    out = []
    for c in cells:
        while c['lines'] and not c['lines'][-1].strip(): c['lines'].pop()
        while c['lines'] and not c['lines'][0].strip(): c['lines'].pop(0)
        src = [l + '\n' for l in c['lines']]
        if src: src[-1] = src[-1][:-1]
        meta = {'tags': c['tags']} if c['tags'] else {}
        if c['kind'] == 'markdown': out.append(dict(cell_type='markdown', metadata=meta, source=src))
        else: out.append(dict(cell_type='code', execution_count=None, metadata=meta, outputs=[], source=src))
    return out

def main(src, dest):
    nb = dict(cells=parse(Path(src).read_text()), metadata=dict(kernelspec=dict(display_name='python3', language='python', name='python3')),
              nbformat=4, nbformat_minor=5)
    Path(dest).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')

if __name__ == '__main__': main(*sys.argv[1:3])
