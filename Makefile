# Tansiq — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: run test bench lint install launcher clean

run: $(INSTALLED) launcher
	$(PY) -m webui.serve

# The whole suite against a throwaway Neo4j (or NEO4J_URI when set).
# pytest exits 5 when it collects nothing: that is a failure here, never a pass.
test: $(INSTALLED) launcher
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

# Speed and memory figures of issue 13 (README, "Speed: make bench"): JSON report and table.
# SCALE=programme (default, under 10 minutes), small or national; NEO4J_URI to use a database
# that already holds the generated data of that scale; BENCH_ARGS=--no-analysis to skip the
# analysis (and the pages computed from it).
SCALE ?= programme
BENCH_ARGS ?=
bench: $(INSTALLED) launcher
	$(PY) benchmarks/bench.py --scale $(SCALE) --json var/bench/report-$(SCALE).json $(BENCH_ARGS)

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

install: $(INSTALLED)

$(INSTALLED): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 est requis ($(PYTHON) introuvable)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

# Builds the Java launcher of the local Neo4j with Maven (skipped when up to date).
launcher: $(INSTALLED)
	$(PY) -m graph.local_neo4j build

clean:
	rm -rf $(VENV) graph/launcher/target .pytest_cache .ruff_cache
