# Every target creates and reuses .venv itself; the stamp re-installs only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
ENV ?= local
SPEC ?= specs/fraud-detection.yaml

.PHONY: apply test validate bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

apply: $(STAMP)
	$(BIN)/fraudspec apply --spec $(SPEC) --env $(ENV)

validate: $(STAMP)
	$(BIN)/fraudspec validate --spec $(SPEC)

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/cli_startup.py

clean:
	rm -rf build .venv
