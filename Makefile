# Two entry points (see README): `make demo` and `make test`. Both create .venv and install
# everything they need from the package registries; nothing has to be installed by hand.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.ipsmatch-installed

.PHONY: demo test test-all install lint bench clean

# setup.py compiles the fast e5 engine (ipsmatch/text/_e5) into the tree: rebuild when it changes.
$(STAMP): pyproject.toml setup.py ipsmatch/text/_e5/e5.c ipsmatch/text/_e5/e5.h
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[semantic,test,pg,dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/ipsmatch demo

test: $(STAMP)
	scripts/with-postgres.sh $(PY) -m pytest -m "not slow"

test-all: $(STAMP)
	scripts/with-postgres.sh $(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/title_match.py
	$(PY) benchmarks/bench_scale.py --size 10000

lint: $(STAMP)
	$(VENV)/bin/ruff check ipsmatch tests benchmarks
	$(VENV)/bin/mypy ipsmatch

clean:
	rm -rf $(VENV) demo
