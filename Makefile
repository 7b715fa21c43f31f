# Every target creates and reuses .venv itself; the stamp re-installs only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
ENV ?= local
SPEC ?= specs/fraud-detection.yaml
CHECKOV := build/tools/checkov/bin/checkov

.PHONY: apply plan destroy test check lint demo validate bench tools stacks clean emulator emulator-stop

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

# PySpark (the `spark` extra, about 300 MB) for the Glue job's local-mode test: make test installs it.
SPARK := $(VENV)/.spark-$(shell cksum pyproject.toml | cut -d' ' -f1)
$(SPARK): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[spark]'
	@touch $@

# checkov pins dependencies that clash with ours (boto3, packaging): it gets a virtualenv of its own.
$(CHECKOV):
	$(PYTHON) -m venv build/tools/checkov
	build/tools/checkov/bin/python -m pip install --quiet 'checkov==3.3.30'

tools: $(CHECKOV)

# SageMaker's scikit-learn serving stacks (1.2-1 on Python 3.9 from pyenv, 1.4-2 on Python 3.11) in
# virtualenvs of their own under build/stacks/, rebuilt only when their pins change (tests/stacks/).
stacks: $(STAMP)
	$(BIN)/python -m tests.stacks.venvs

# The AWS emulator (moto on 127.0.0.1, labelled as such everywhere) to try the aws target without an
# account: then `. build/emulator/env.sh` points fraudspec and Terraform at it (README, "AWS target").
EMULATOR_PORT ?= 4566
emulator: $(STAMP)
	$(BIN)/python -m fraudspec.deploy.emulator start --spec $(SPEC) --port $(EMULATOR_PORT)

emulator-stop: $(STAMP)
	$(BIN)/python -m fraudspec.deploy.emulator stop

apply: $(STAMP)
	$(BIN)/fraudspec apply --spec $(SPEC) --env $(ENV) $(if $(AUTO_APPROVE),--auto-approve,)

# `make plan` plans every aws environment (ENV defaults to local, which has no plan); `make plan ENV=dev` one.
plan: $(STAMP)
	$(BIN)/fraudspec plan --spec $(SPEC) $(if $(filter-out local,$(ENV)),--env $(ENV),)

destroy: $(STAMP)
	$(BIN)/fraudspec destroy --spec $(SPEC) --env $(ENV) $(if $(AUTO_APPROVE),--auto-approve,)

validate: $(STAMP)
	$(BIN)/fraudspec validate --spec $(SPEC)

# The whole suite: real terraform, checkov, the AWS emulator, live runtimes, real-clock waits.
test: lint $(STAMP) $(SPARK) tools stacks
	$(BIN)/python -m pytest -q

# The fast loop: lint, types, and every test not marked `slow` (pyproject.toml says what that covers).
check: lint
	$(BIN)/python -m pytest -q -m "not slow"

# ruff (lint, import order) and mypy (types), configured in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check fraudspec tests tools bench
	$(BIN)/mypy

demo: $(STAMP)
	$(BIN)/python -m fraudspec.cli.demo

bench: $(STAMP)
	$(BIN)/python bench/cli_startup.py
	$(BIN)/python bench/inference.py
	$(BIN)/python bench/monitoring.py
	$(BIN)/python bench/endpoint.py

clean:
	rm -rf build .venv
