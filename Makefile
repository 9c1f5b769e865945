# The README's commands. Each target sets up what it needs on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test data bench serve load chromium clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

# Debian's Chromium for browser tests and figure export (kaleido); installed only when missing.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "installing Debian's chromium"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; \
	fi

run: $(STAMP) chromium
	$(PY) app.py

test: $(STAMP) chromium
	$(PY) -m pytest -n 2 --dist loadfile --durations=15

data: $(STAMP)
	$(PY) -m dashboard build data/khazali/corpus --out data/khazali

clean:
	rm -rf $(VENV) .pytest_cache

# Benchmarks print numbers and the command to reproduce them (docs/performance.md); never part of `make test`.
bench: $(STAMP) chromium
	$(PY) -m bench

# The app under gunicorn with several workers (state lives in the browser; workers share nothing).
serve: $(STAMP)
	$(VENV)/bin/gunicorn --workers $${WORKERS:-3} --bind $${KHAZALI_HOST:-127.0.0.1}:$${KHAZALI_PORT:-8050} 'dashboard.wsgi:server'

# Load test (not part of `make test`): gunicorn on loopback, 50 Locust users for 60 s, then it all stops;
# prints errors, p50/p95 and server memory (docs/reliability.md).
load: $(STAMP)
	$(PY) -m bench.load --users $${USERS:-50} --duration $${DURATION:-60} --workers $${WORKERS:-3}
