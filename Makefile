# Punchclock: everything a fresh clone needs goes through these targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck unit e2e bench chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m infra.local

test: $(STAMP) lint typecheck chromium
	$(BIN)/python -m pytest

lint: $(STAMP)
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
# the code plus its dependencies as arm64 / CPython 3.12 wheels. boto3 comes with the Lambda runtime.
LAMBDA_FUNCTIONS := SlackFunction TwilioSmsFunction SnsSmsFunction ReceiptUploadFunction
LAMBDA_DEPS = $(shell $(PYTHON) -c 'import tomllib; print(" ".join(repr(d) for d in tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"] if not d.startswith("boto3")))')
$(addprefix build-,$(LAMBDA_FUNCTIONS)):
	$(PYTHON) -m pip install --quiet --no-compile --target "$(ARTIFACTS_DIR)" \
		--platform manylinux2014_aarch64 --implementation cp --python-version 3.12 --only-binary=:all: $(LAMBDA_DEPS)
	cp -R bot core notifications "$(ARTIFACTS_DIR)/"
	find "$(ARTIFACTS_DIR)" -name __pycache__ -prune -exec rm -rf {} +

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .aws-sam infra/.aws-sam artifacts
