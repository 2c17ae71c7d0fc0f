# 抚顺人社快办助手 — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.10
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3

.DEFAULT_GOAL := help
.PHONY: help install install-test data train run lint test test-fast validate eval bench report mask-existing clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found. Rasa 3.6 needs Python 3.10 (pyenv install 3.10, or apt-get install python3.10), or run: make PYTHON=/path/to/python3.10"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' || { echo "error: $(PYTHON) is not Python 3.10"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade "pip==24.0"
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(TEST_STAMP): requirements-test.txt $(STAMP)
	$(BIN)/pip install --quiet -r requirements-test.txt
	@test -x /usr/bin/chromium || { echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will be skipped"; }
	@fc-list :lang=zh 2>/dev/null | grep -q . || { echo "installing a CJK font for readable screenshots"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null) \
	  || echo "warning: no CJK font; the screenshots in artifacts/ will show boxes"; }
	touch $@

install: $(STAMP) ## create .venv and install the pinned runtime dependencies

install-test: $(TEST_STAMP) ## install the test tools too (pytest, Playwright, Debian chromium)

data: $(STAMP) ## regenerate the jieba dictionary and NLU lookup tables from knowledge/guide.yml
	$(BIN)/python -m guide_kb rasa-data

train: data ## train the Rasa model (skipped by Rasa when data and config are unchanged)
	$(BIN)/python -m ops.launch train

run: train ## start Rasa (:5005), the action server (:5055) and the web pages (:8000); Ctrl-C stops all
	$(BIN)/python -m ops.stack

validate: data ## rasa data validate --fail-on-warnings
	$(BIN)/rasa data validate --fail-on-warnings

lint: $(TEST_STAMP) ## ruff over the whole repository (rules in pyproject.toml)
	$(BIN)/ruff check .

test: $(TEST_STAMP) lint validate train ## install what the tests need and run every test
	$(BIN)/python -m guide_kb rasa-data --check
	$(BIN)/python -m pytest -p no:cacheprovider

test-fast: $(TEST_STAMP) ## unit tests only (no Rasa server, no browser)
	$(BIN)/python -m pytest -p no:cacheprovider -m "not e2e and not browser"

eval: ## score the running bot (make run first) on every set in tests/eval, misroutes counted
	$(BIN)/python bench/eval_report.py

bench: train ## run the benchmarks in bench/ (figures go to the README by hand)
	$(BIN)/python bench/run_all.py

report: $(STAMP) ## questions refused or answered unsure, most asked services, feedback (--json for JSON)
	$(BIN)/python -m ops.report $(ARGS)

.PHONY: wechat-menu
wechat-menu: $(STAMP) ## push channels/wechat/menu.yml as the 公众号's menu (ARGS=show: the live one)
	$(BIN)/python -m channels.wechat.menu $(or $(ARGS),push)

mask-existing: $(STAMP) ## mask personal numbers already held by the tracker store and feedback DB
	$(BIN)/python -m ops.mask_existing

clean: ## remove trained models and runtime data (keeps .venv)
	rm -rf models var results artifacts .rasa

.PHONY: staff-user
staff-user: $(STAMP) ## create or update a staff account: make staff-user NAME=li ROLE=editor (password on stdin)
	@test -n "$(NAME)" -a -n "$(ROLE)" || { echo "usage: make staff-user NAME=<name> ROLE=viewer|editor"; exit 2; }
	$(BIN)/python -m web.staff.accounts "$(NAME)" "$(ROLE)"
