# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
DEV := EVENTHUB_ENV=development
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install translations test-prereqs test-sqlite test-postgresql test-databases test-js lint extract-messages \
	vendor bench clean

run: install
	$(DEV) $(FLASK) db upgrade
	$(DEV) $(FLASK) eventhub demo
	$(DEV) $(FLASK) eventhub dev-server --host 127.0.0.1 --port 5000

test: install test-prereqs lint test-js
	@$(MAKE) --no-print-directory test-databases

# Each database's run keeps its own pytest cache, so the two can run at once (and `--lf` works per side).
PYTEST = $(BIN)/python -m pytest -o cache_dir=.pytest_cache/$(1) $(PYTEST_ARGS)
TEST_LOGS := build/test-logs

test-sqlite:
	EVENTHUB_TEST_DB=sqlite $(call PYTEST,sqlite)

test-postgresql:
	EVENTHUB_TEST_DB=postgresql $(call PYTEST,postgresql)

# Both runs at once, each into its own log; both logs are shown at the end (each ends with pytest's
# summary) and the target fails if either run failed (pytest's 5, "no tests ran", too).
test-databases:
	@mkdir -p $(TEST_LOGS)
	@echo "Running the suite on SQLite and on PostgreSQL at once; follow with: tail -f $(TEST_LOGS)/*.log"
	@start=$$(date +%s); \
	EVENTHUB_TEST_DB=sqlite $(call PYTEST,sqlite) > $(TEST_LOGS)/sqlite.log 2>&1 & sqlite=$$!; \
	EVENTHUB_TEST_DB=postgresql $(call PYTEST,postgresql) > $(TEST_LOGS)/postgresql.log 2>&1 & postgresql=$$!; \
	wait $$sqlite; sqlite_status=$$?; wait $$postgresql; postgresql_status=$$?; \
	for side in sqlite postgresql; do echo; echo "===== $$side: $(TEST_LOGS)/$$side.log ====="; \
		cat $(TEST_LOGS)/$$side.log; done; \
	echo; echo "SQLite exit $$sqlite_status, PostgreSQL exit $$postgresql_status, $$(( $$(date +%s) - start )) s in all"; \
	[ $$sqlite_status -eq 0 ] && [ $$postgresql_status -eq 0 ]

# The scanner's offline logic (static/js/scanner/), with node's own test runner; node comes from Debian when missing.
test-js:
	@command -v node >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) apt-get install -y nodejs; }
	node --test tests/js/

lint: $(VENV)/.installed
	$(BIN)/ruff check eventhub tests migrations wsgi.py bench

install: $(VENV)/.installed translations

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d eventhub/translations 2>&1 | grep -v '^compiling' || true

# Debian's chromium for the browser tests, PostgreSQL server binaries, redis-server (shared rate limits) and nginx (the
# deployment test), installed only when missing.
test-prereqs:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }
	@# Certificate QR codes are read back from a 150 dpi rendering of the PDF, as a phone would see a print.
	@{ command -v pdftoppm >/dev/null 2>&1 && command -v zbarimg >/dev/null 2>&1; } || \
		{ $(SUDO) apt-get update && $(SUDO) apt-get install -y poppler-utils zbar-tools; }
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update && $(SUDO) apt-get install -y postgresql-15 || $(SUDO) apt-get install -y postgresql; }
	@test -x /usr/sbin/bearerbox -a -x /usr/lib/kannel/test/fakesmsc || \
		{ $(SUDO) apt-get update && $(SUDO) apt-get install -y kannel kannel-extras; }
	@command -v redis-server >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) apt-get install -y redis-server; }
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { $(SUDO) apt-get update && $(SUDO) apt-get install -y nginx-light; }

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -o eventhub/translations/messages.pot --no-location --omit-header .
	$(BIN)/pybabel update -i eventhub/translations/messages.pot -d eventhub/translations --no-fuzzy-matching --ignore-obsolete

# Front-end and font packages come from npm and are copied into static/vendor (committed; no CDN).
NPM_PACKAGES := dejavu-fonts-ttf@2.37.3 @expo-google-fonts/tinos@0.4.2 jsqr@1.4.0 @noble/ed25519@2.3.0
TINOS := build/npm/node_modules/@expo-google-fonts/tinos
vendor:
	npm install --no-audit --no-fund --no-save --prefix build/npm $(NPM_PACKAGES)
	mkdir -p static/vendor/dejavu
	cp build/npm/node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf build/npm/node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf \
		build/npm/node_modules/dejavu-fonts-ttf/LICENSE static/vendor/dejavu/
	# Tinos: metric-compatible with Times New Roman, with Vietnamese, for official documents (SIL OFL 1.1).
	mkdir -p static/vendor/tinos
	cp $(TINOS)/400Regular/Tinos_400Regular.ttf $(TINOS)/700Bold/Tinos_700Bold.ttf \
		$(TINOS)/400Regular_Italic/Tinos_400Regular_Italic.ttf $(TINOS)/700Bold_Italic/Tinos_700Bold_Italic.ttf static/vendor/tinos/
	cp $(TINOS)/LICENSE_FONT static/vendor/tinos/LICENSE
	mkdir -p static/vendor/jsqr static/vendor/noble-ed25519
	cp build/npm/node_modules/jsqr/dist/jsQR.js build/npm/node_modules/jsqr/LICENSE static/vendor/jsqr/
	cp build/npm/node_modules/@noble/ed25519/index.js build/npm/node_modules/@noble/ed25519/LICENSE static/vendor/noble-ed25519/

bench: install test-prereqs
	$(BIN)/python bench/registration_rush.py
	$(BIN)/python bench/checkin.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/allocation.py
	$(BIN)/python bench/certificates.py

clean:
	rm -rf $(VENV) .pytest_cache
