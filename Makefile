# Everything a fresh machine needs: `make run` and `make test` set up the
# venv, install, train when the training data changed, then run.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(abspath $(VENV))/bin/python
STAMP := $(VENV)/.installed
MODEL := rasa_project/models/coach.tar.gz
MODEL_STAMP := rasa_project/models/.trained
# The pipeline's own components are training inputs too.
NLU_COMPONENTS := rasa_project/presence_classifier.py rasa_project/multinomial_lbfgs.py \
	rasa_project/saved_crf.py rasa_project/plain_words.py rasa_project/sentence_features.py \
	bot/sentence_encoder.py
TRAINING_FILES := rasa_project/config.yml $(NLU_COMPONENTS) \
	$(shell find rasa_project/data rasa_project/domain -name '*.yml' 2>/dev/null)
RASA := cd rasa_project && $(PY) -m rasa
# Rasa's command line with our start-up and loading fixes (rasa_project/rasa_server.py)
RASA_SERVER := cd rasa_project && $(PY) -m rasa_server
RASA_PATHS := --domain domain --data data --config config.yml

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Rasa 3.6 runs on Python 3.8-3.10 only; .python-version pins 3.10 for pyenv.
PYTHON310 := $(shell for c in "$$(pyenv which python 2>/dev/null)" python3.10 \
	$${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.10*/bin/python; do \
	command -v "$$c" >/dev/null 2>&1 && "$$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null \
	&& { command -v "$$c"; break; }; done)

.PHONY: run test bench eval converse fuzz lint install train safety clean

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON310)" ]; then \
	  echo "error: Python 3.10 is required (Rasa 3.6 supports Python 3.8-3.10 only) and none was found." >&2; \
	  echo "Install it with 'pyenv install 3.10' (this project's .python-version asks pyenv for 3.10)" >&2; \
	  echo "or your system's python3.10 package, then run make again." >&2; \
	  exit 1; fi
	@test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(STAMP)

# The stamp holds a hash of the training files (names and contents) and of
# pyproject.toml as of the last training. A touched-but-unchanged file or a
# checkout costs one hash; any real change goes to `rasa train`, which retrains
# only the parts whose inputs changed.
TRAINING_HASH = sha256sum pyproject.toml $(sort $(TRAINING_FILES)) | sha256sum | cut -c1-64

# Without a model (deleted, or never trained here) the check always runs.
ifeq ($(wildcard $(MODEL)),)
.PHONY: $(MODEL_STAMP)
endif

$(MODEL_STAMP): $(STAMP) $(TRAINING_FILES)
	@hash=$$($(TRAINING_HASH)); \
	if [ -f $(MODEL) ] && [ "$$hash" = "$$(cat $@ 2>/dev/null)" ]; then \
	  echo "Rasa model is up to date."; touch $@; \
	else \
	  ($(RASA_SERVER) train $(RASA_PATHS) --fixed-model-name coach) && echo "$$hash" > $@; \
	fi

train: $(MODEL_STAMP)

# The crisis check's learned net (bot/safety_model.py): embeddings of the tuning lines
# and of the NLU examples, with the threshold cross-validation chose. Generated, not
# committed; without it the check runs on its patterns alone.
SAFETY_NET := bot/safety_model.npz
SAFETY_LINES := $(filter-out tests/data/safety_holdout_5.yml,$(wildcard tests/data/safety_*.yml))
$(SAFETY_NET): $(STAMP) bot/safety.py bot/safety_model.py bot/safety_train.py \
		bot/sentence_encoder.py $(SAFETY_LINES) \
		$(shell find rasa_project/data/nlu -name '*.yml' 2>/dev/null)
	$(PY) -m bot.safety_train

safety: $(SAFETY_NET)

run: $(MODEL_STAMP) $(SAFETY_NET)
	$(PY) -m bot run

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# `rasa data validate` fails on errors; story/rule conflicts fail on any warning.
# Its "response not used" warnings cannot see form questions or responses sent
# by custom actions, so tests/test_rasa_project.py checks usage precisely.
test: $(MODEL_STAMP) $(SAFETY_NET) lint
	$(RASA) data validate $(RASA_PATHS)
	$(RASA) data validate stories $(RASA_PATHS) --fail-on-warnings
	$(RASA_SERVER) test core --stories tests --model models \
		--out results/core --fail-on-prediction-errors  # the model loaded as `make run` loads it
	$(PY) -m pytest

bench: $(MODEL_STAMP) $(SAFETY_NET)
	$(PY) -m benchmarks

eval: $(MODEL_STAMP)
	$(PY) -m benchmarks.nlu_eval

# The conversation corpus (tests/conversations/) through a stack of its own:
# pass rate per split, fallback rate, non-answers stored, each failing transcript.
converse: $(MODEL_STAMP) $(SAFETY_NET)
	$(PY) -m tests.corpus --report data/conversation-report.json

# Generated awkward messages (unicode, emoji, control characters, 4096-character texts,
# payload-, SQL- and markup-looking text, numbers, dates, many user ids): 10 000 straight
# to Rasa and its actions, 500 through the Telegram front end, on a stack of its own.
# Fails on any error, traceback or error line in a log, a damaged SQLite file, a message
# left waiting or a bystander's row changed; writes data/fuzz-report.json.
fuzz: $(MODEL_STAMP) $(SAFETY_NET)
	$(PY) -m tests.fuzz --report data/fuzz-report.json

clean:
	rm -rf $(VENV) rasa_project/models rasa_project/.rasa rasa_project/results $(SAFETY_NET)
