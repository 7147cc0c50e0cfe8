# `make test` is the one test command (README, CI): clean -> sync -> docs render -> README -> nbdev_test -> pytest
PY ?= python
export HF_HUB_OFFLINE = 1
export TRANSFORMERS_OFFLINE = 1
export HF_DATASETS_OFFLINE = 1
export MPLBACKEND = Agg

.PHONY: test check-clean check-sync docs-html check-readme readme nbdev-test pytest export clean docs slow

test: check-clean check-sync docs-html check-readme nbdev-test pytest

check-clean:
	$(PY) tools/ci_checks.py clean
check-sync:
	$(PY) tools/ci_checks.py sync
docs-html:
	$(PY) tools/ci_checks.py render
check-readme:
	$(PY) tools/ci_checks.py readme
readme:
	$(PY) tools/ci_checks.py readme --write
nbdev-test:
	nbdev_test --n_workers 2 --timing
pytest:
	$(PY) -m pytest -q tests

# run the cells marked `#| slow` too
slow:
	nbdev_test --n_workers 2 --flags slow

export:
	nbdev_export
	nbdev_clean
docs:
	nbdev_docs
