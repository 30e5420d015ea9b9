# Khiên's front door. `make help` lists the targets.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# Rasa 3.6 needs Python 3.10: from PATH, or from pyenv where PATH lacks it.
PYTHON310 ?= $(shell (python3.10 -c 'import sys' >/dev/null 2>&1 && command -v python3.10) || ls -d $$(pyenv root 2>/dev/null || echo ~/.pyenv)/versions/3.10*/bin/python3.10 2>/dev/null | tail -n 1)
# The FAQ's intents and answers are generated from content/faq/ (khien/content.py), never kept twice.
FAQ_GENERATED := domain/generated/faq.yml nlu/data/generated/faq.yml
TRAIN_INPUTS := config.yml $(wildcard domain/*.yml) $(FAQ_GENERATED) $(wildcard nlu/data/*.yml) $(wildcard stories/*.yml) $(wildcard nlu/resources/*.yml) nlu/components.py nlu/text.py nlu/risk_lexicon.py
MODEL := models/khien.tar.gz
export RASA_TELEMETRY_ENABLED := false
# Rasa's training cache does not see our components' code or data files (lexicon, teencode):
# a cached component could keep an old lexicon, so training never uses the cache.
export RASA_MAX_CACHE_SIZE := 0
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help setup run train validate content test evaluate evaluate-dev bench bench-lexicon faults clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

setup: $(VENV)/.installed ## create .venv (Python 3.10) from the pinned requirements

$(VENV)/.installed: requirements.txt pyproject.toml
	@if [ -z "$(PYTHON310)" ]; then echo "Python 3.10 is required (Rasa 3.6 runs on it only). Install it, e.g. 'pyenv install 3.10', or set PYTHON310=/path/to/python3.10." >&2; exit 1; fi
	$(PYTHON310) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==24.0
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

train: $(MODEL) ## train the model if it is missing or older than its data

content: $(FAQ_GENERATED) ## the FAQ's Rasa files from content/faq/ (after checking all of content/)

$(FAQ_GENERATED) &: $(VENV)/.installed $(wildcard content/faq/*.yml) khien/content.py
	$(BIN)/khien content build
	touch $(FAQ_GENERATED)

$(MODEL): $(VENV)/.installed $(TRAIN_INPUTS)
	$(BIN)/rasa train --config config.yml --domain domain --data nlu/data stories --out models --fixed-model-name khien

validate: setup content ## rasa data validate
	$(BIN)/rasa data validate --domain domain --data nlu/data stories --fail-on-warnings

run: setup train ## start Rasa, the action server and the gateway with a web chat on http://127.0.0.1:8000
	$(BIN)/khien run

test: setup ## run every test (trains its own test model, cached between runs)
	$(BIN)/python -m pytest

evaluate: setup train ## NLU and triage quality on the held-out evaluation set
	$(BIN)/python -m tests.eval.evaluate

evaluate-dev: setup train ## the same on the development set nlu/dev/triage_dev.jsonl (the one to tune against)
	$(BIN)/python -m tests.eval.evaluate --set dev

bench: setup train ## the lexicon scan, NLU against a whitespace baseline, then load through the gateway against a bare `rasa init`
	$(BIN)/python -m benchmarks.lexicon_bench
	$(BIN)/python -m benchmarks.nlu_bench
	$(BIN)/python -m benchmarks.load_bench

bench-lexicon: setup ## the risk lexicon's scan per message, against searching every phrase (no model needed)
	$(BIN)/python -m benchmarks.lexicon_bench

faults: setup train ## fault drills on the production layout: every report kept, delivered once
	$(BIN)/python -m benchmarks.faults

clean: ## remove trained models and local data
	rm -rf models/*.tar.gz var/ $(FAQ_GENERATED)
