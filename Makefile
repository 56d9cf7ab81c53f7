# Punchclock: everything a fresh clone needs goes through these targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck unit e2e bench chromium deploy-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m infra.local $(ARGS)

test: $(STAMP) lint typecheck chromium
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || (echo "run: $(BIN)/ruff format ." && false)

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy -p infra

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

# The template's tests and the whole local stack, browser included.
e2e: $(STAMP) chromium
	$(BIN)/python -m pytest tests/infra tests/e2e

bench: $(STAMP)
	$(BIN)/python -m tests.bench

# Debian's Chromium and its driver, for the console's browser test only (no browser is downloaded
# by a test tool). Without root or apt-get this only warns: that test then skips and says why.
CHROMIUM_BIN := /usr/bin/chromium /usr/bin/chromedriver
chromium:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then exit 0; fi; \
	SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo -n"; \
	if command -v apt-get >/dev/null && { [ -z "$$SUDO" ] || sudo -n true 2>/dev/null; }; then \
		echo "installing Debian chromium and chromium-driver for the browser test..."; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null \
			|| echo "warning: could not install chromium; the browser test will skip"; \
	else \
		echo "warning: chromium missing and apt-get unavailable (or not root); the browser test will skip"; \
	fi

# `sam build` (run in infra/) calls build-<Function> for each function (Metadata BuildMethod: makefile):
# the code plus only the packages that function imports (infra/packages.toml), as arm64 / CPython
# 3.12 wheels compiled to bytecode by a Python 3.12. See infra/build.py; it needs Python 3.11+.
LAMBDA_FUNCTIONS := SlackFunction TwilioSmsFunction SnsSmsFunction ReceiptUploadFunction NotifyFunction JobsFunction
$(addprefix build-,$(LAMBDA_FUNCTIONS)):
	$(PYTHON) infra/build.py $(@:build-%=%) "$(ARTIFACTS_DIR)"

# The SAM CLI in a venv of its own: it pins its own aws-sam-translator and cfn-lint.
SAM_VENV    := .venv-sam
SAM         := $(SAM_VENV)/bin/sam
SAM_VERSION := 1.170.0
DEPLOY_CHECK_DIR := .aws-sam/deploy-check

$(SAM):
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/python -m pip install --quiet 'aws-sam-cli==$(SAM_VERSION)'

# What an operator meets, without an AWS account: `sam validate --lint`; cfn-lint on the template
# and on its offline translation; `sam build` into an empty folder; each built package holding what
# its handler imports (tests/infra/test_built_packages.py); and `sam deploy --guided` answered as
# README's Deploy section says, up to where it would first call AWS (tests/infra/test_guided_deploy.py).
deploy-check: export SAM_CLI_TELEMETRY = 0
deploy-check: $(STAMP) $(SAM)
	cd infra && ../$(SAM) validate --lint --region us-east-1
	rm -rf $(DEPLOY_CHECK_DIR)
	cd infra && ../$(SAM) build --build-dir ../$(DEPLOY_CHECK_DIR)/build
	DEPLOY_CHECK_DIR=$(DEPLOY_CHECK_DIR) SAM=$(SAM) $(BIN)/python -m pytest -p no:cacheprovider \
		tests/infra/test_template.py tests/infra/test_packages.py tests/infra/test_built_packages.py \
		tests/infra/test_guided_deploy.py

clean:
	rm -rf $(VENV) $(SAM_VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .aws-sam infra/.aws-sam artifacts
