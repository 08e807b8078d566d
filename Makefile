# Työkykyportti — developer entry points. `make` or `make help` lists them.
#
# Works on a fresh Debian machine with Python 3.11 (as root, or with sudo for apt-get).
# Every path that matters is a variable, e.g. `make VENV=/tmp/other-venv test`, `make run PORT=8080`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON   ?= python3.11
VENV     ?= .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
PORT     ?= 5000
IDP_PORT ?= 9400
# The development mandate service (Suomi.fi-valtuudet stand-in): portal.mandates.devservice.
MANDATES_PORT ?= 9500
# `make run`'s SMTP sink: the portal's e-mails land here as .eml files instead of being sent.
MAIL_PORT ?= 8025
MAIL_DIR ?= instance/mail
IMAGE    ?= tyokykyportti
PYTEST_ARGS ?=
# When set, `make test` writes pytest's own exit code there (.ci/run reads it; make itself
# reports every failure as 2).
PYTEST_EXIT_FILE ?=

CHROMIUM := /usr/bin/chromium
# apt-get as root, or through sudo for a normal user.
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_GET := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get
# Gettext domains: `messages` (plain Finnish and other languages) and `selko` (selkokieli).
DOMAINS := messages selko
EXTRACT_FLAGS := --no-wrap --add-comments=Translators: -k _l -k lazy_gettext --ignore-dirs='.* ._ node_modules'

DEV_ENV := PORTAL_ENV=development
FLASK   := $(BIN)/flask --app portal.wsgi

.PHONY: help install catalogs db run test chromium lint lock translations assets docker config-docs

help: ## List the targets
	@echo "Työkykyportti — make targets (variables: VENV=$(VENV) PORT=$(PORT) IDP_PORT=$(IDP_PORT)" \
	  "MANDATES_PORT=$(MANDATES_PORT))"
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) \
	  | awk 'BEGIN {FS = ":.*## "}; {printf "  %-13s %s\n", $$1, $$2}'

# --- the virtualenv ---------------------------------------------------------------------------

# The venv exists once pip is in it (Debian's python3.11 without python3.11-venv leaves a venv
# without pip behind, so bin/pip, not bin/python, is the mark of a usable one).
$(BIN)/pip:
	@if ! command -v $(PYTHON) >/dev/null; then \
	  echo "$(PYTHON) not found: installing it from Debian"; \
	  $(APT_GET) update && $(APT_GET) install -y python3.11 python3.11-venv; \
	fi
	@echo "Creating virtualenv $(VENV) with $$(command -v $(PYTHON))"
	@if ! $(PYTHON) -m venv $(VENV); then \
	  echo "venv failed; installing Debian's python3.11-venv and trying again"; \
	  $(APT_GET) update && $(APT_GET) install -y python3.11-venv; \
	  $(PYTHON) -m venv --clear $(VENV); \
	fi

# Reinstall only when the dependency declarations change: a second `make run` starts in seconds.
$(STAMP): pyproject.toml requirements.lock | $(BIN)/pip
	@echo "Installing dependencies into $(VENV) (pyproject.toml or requirements.lock changed)"
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

install: $(STAMP) ## Create the virtualenv and install runtime + dev dependencies (when changed)

catalogs: $(STAMP) ## Compile the gettext catalogs that exist (.mo files are not committed)
	@for domain in $(DOMAINS); do \
	  if [ -n "$$(find translations -name "$$domain.po" -print -quit 2>/dev/null)" ]; then \
	    $(BIN)/pybabel compile --use-fuzzy -d translations -D $$domain; \
	  fi; \
	done

# --- running ----------------------------------------------------------------------------------

db: $(STAMP) ## Apply migrations to the development database and load the demo data
	@mkdir -p instance
	$(DEV_ENV) $(FLASK) db upgrade
	$(DEV_ENV) $(FLASK) seed-demo --with-cases

# The SMTP sink runs in the background of this recipe's shell and stops with it (EXIT trap);
# the portal is pointed at it with SMTP_PORT, and its links at PORT with PUBLIC_URL.
run: install catalogs db ## Start the identity provider, the mandate service, the SMTP sink and the portal (PORT=5000, IDP_PORT=9400, MANDATES_PORT=9500, MAIL_PORT=8025); Ctrl-C stops them
	@if (exec 3<>/dev/tcp/127.0.0.1/$(MAIL_PORT)) 2>/dev/null; then \
	  echo "Port $(MAIL_PORT) is already in use (another make run?). Stop it, or pick another:" \
	       "make run MAIL_PORT=8026" >&2; \
	  exit 1; \
	fi; \
	$(BIN)/python -m portal.notify.sink --port $(MAIL_PORT) --dir $(MAIL_DIR) & sink=$$!; \
	trap 'kill $$sink 2>/dev/null || true' EXIT; \
	for _ in $$(seq 100); do \
	  (exec 3<>/dev/tcp/127.0.0.1/$(MAIL_PORT)) 2>/dev/null && break; \
	  kill -0 $$sink 2>/dev/null || { echo "The SMTP sink did not start; see above." >&2; exit 1; }; \
	  sleep 0.1; \
	done; \
	echo "E-mails from the portal are written to $(abspath $(MAIL_DIR))/ (one .eml file each)."; \
	SMTP_HOST=127.0.0.1 SMTP_PORT=$(MAIL_PORT) SMTP_STARTTLS=0 $(DEV_ENV) $(FLASK) send-outbox \
	  >/dev/null 2>&1 || true; \
	SMTP_HOST=127.0.0.1 SMTP_PORT=$(MAIL_PORT) SMTP_STARTTLS=0 \
	PUBLIC_URL=$${PUBLIC_URL:-http://127.0.0.1:$(PORT)} \
	MAIL_DIR=$(abspath $(MAIL_DIR)) VENV=$(VENV) PORT=$(PORT) IDP_PORT=$(IDP_PORT) \
	MANDATES_PORT=$(MANDATES_PORT) bash scripts/dev-server.sh

# --- checking ---------------------------------------------------------------------------------

chromium: ## Install Debian's chromium for the browser tests when it is missing
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "$(CHROMIUM) is missing: installing Debian's chromium"; \
	  $(APT_GET) update && $(APT_GET) install -y chromium; \
	fi

test: install chromium catalogs ## Run the test suite (PostgreSQL too when TEST_DATABASE_URL is set)
	@echo "$(BIN)/python -m pytest $(PYTEST_ARGS)"
	@rc=0; $(BIN)/python -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ -n "$(PYTEST_EXIT_FILE)" ]; then echo $$rc > "$(PYTEST_EXIT_FILE)"; fi; \
	if [ $$rc -eq 5 ]; then \
	  echo "make test: pytest collected no tests (exit 5); a run without tests is a failure." >&2; \
	fi; \
	exit $$rc

lint: install ## Check the code with ruff
	$(BIN)/ruff check .

# --- maintenance ------------------------------------------------------------------------------

define LOCK_HEADER
# requirements.lock — every package of the runtime and `dev` extras, pinned.
#
# Used as a constraints file, never as a list of things to install:
#   pip install -c requirements.lock -e '.[dev]'     (make run / make test)
#   pip install -c requirements.lock <runtime deps>  (Dockerfile: runtime only)
#
# Regenerate after changing dependencies in pyproject.toml:
#   make lock
# which installs `-e '.[dev]'` into a fresh Python 3.11 venv and writes
# `pip freeze --exclude-editable` here. Do not edit by hand.
# oidc-provider-mock stays <0.4 (0.4 needs Python 3.12); pyproject.toml caps it.
endef
export LOCK_HEADER

lock: ## Re-pin requirements.lock from pyproject.toml in a fresh throwaway venv
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/pip" install --quiet -e '.[dev]'; \
	{ printf '%s\n' "$$LOCK_HEADER"; "$$tmp/venv/bin/pip" freeze --exclude-editable; } > "$$tmp/lock"; \
	mv "$$tmp/lock" requirements.lock; \
	echo "requirements.lock: $$(grep -vc '^#' requirements.lock) pinned packages"

translations: install ## Extract messages.pot from code, templates and definitions; update the catalogs
	$(BIN)/pybabel extract -F babel.cfg $(EXTRACT_FLAGS) -o translations/messages.pot .
	@for domain in $(DOMAINS); do \
	  if [ -n "$$(find translations -name "$$domain.po" -print -quit)" ]; then \
	    $(BIN)/pybabel update --no-wrap -i translations/messages.pot -d translations -D $$domain; \
	  else \
	    echo "No $$domain catalogs yet; start one with:" \
	         "$(BIN)/pybabel init -i translations/messages.pot -d translations -D $$domain -l fi"; \
	  fi; \
	done

config-docs: install ## Rewrite docs/configuration.md from portal/config.py SETTINGS
	$(BIN)/python scripts/config_docs.py > docs/configuration.md

assets: ## Build static/css and static/js from GOV.UK Frontend (needs node + npm)
	cd frontend && npm ci && npm run build

docker: ## Build the production image (IMAGE=tyokykyportti)
	docker build -t $(IMAGE):latest .
