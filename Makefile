# The two commands of the README. Each sets up everything it needs on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: test demo soak fuzz lint typecheck golden readme bench bench-template bench-cycles bench-org bench-pictures clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
	  (apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV))
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

test: $(STAMP) lint typecheck
	sh scripts/ensure_chromium.sh
	$(BIN)/python -m pytest -n 2 --dist loadfile

demo: $(STAMP)
	$(BIN)/awsarch demo

# Longer than `make test` allows: every kill index, 30 concurrency trials. Prints its figures.
soak: $(STAMP)
	$(BIN)/python -m pytest -m soak -s -p no:cacheprovider tests

# 10,000 fuzzed blueprints, templates and byte strings (FUZZ_EXAMPLES to change); prints the
# slowest and largest run. `make test` runs about 100 of them.
fuzz: $(STAMP)
	$(BIN)/python -m pytest -m fuzz -s -p no:cacheprovider tests/fuzz

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy

readme: $(STAMP)
	$(BIN)/python scripts/update_readme_rules.py

golden: $(STAMP)
	$(BIN)/python scripts/update_golden.py
	$(BIN)/python scripts/update_golden_templates.py

bench: $(STAMP)
	$(BIN)/python bench/check_bench.py

# cfn-lint and checkov beside `awsarch check` on ~1,000 and ~3,000-resource templates; installs
# them (pinned) into bench/.venv on first use, never into the project's dependencies.
bench-template: $(STAMP)
	$(BIN)/python bench/template_bench.py

# Ten up/down cycles of the 10x blueprint on one emulator; prints each cycle and tenth/first.
bench-cycles: $(STAMP)
	$(BIN)/python bench/cycles_bench.py

# `awsarch diagram` and `awsarch report` at ~300, ~3,000 and ~30,000 resources (wall and CPU s).
bench-pictures: $(STAMP)
	$(BIN)/python bench/pictures_bench.py

# audit --org over 200 accounts × 3 regions on the emulator, 30 ms a call: 1/8/32 parallel, 4 shards.
bench-org: $(STAMP)
	$(BIN)/python bench/org_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
