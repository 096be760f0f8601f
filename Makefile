# realtimekit-client: `make` lists the targets.
PY := .venv/bin/python
VENV_STAMP := .venv/.installed

.DEFAULT_GOAL := help
.PHONY: help install browser demo generate check-generated lint typecheck test check vendor bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV_STAMP): pyproject.toml
	python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(VENV_STAMP)

install: $(VENV_STAMP) browser ## Set up .venv (the package, dev tools, build) and Chromium for the HTML report test

# Debian's chromium, for the test that opens the command's HTML report in a real browser (CI sets
# RTK_REQUIRE_BROWSER=1, so there a missing browser fails the test instead of skipping it).
browser: ## Install Chromium (apt-get, when run as root and it is missing)
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
		echo "Chromium: $$(command -v chromium || command -v chromium-browser)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "Chromium is missing and this cannot install it (it needs root and apt-get): run" \
			"'sudo apt-get install -y chromium' (Debian/Ubuntu); until then the HTML report's browser test is skipped." >&2; \
	fi

demo: $(VENV_STAMP) ## Start a local RealtimeKit stand-in and run the realtimekit command against it (no account, no network)
	@$(PY) -m scripts.dev.demo

vendor: ## Copy the package into DEST (make vendor DEST=path [NAME=import_name] [FORCE=1])
	@test -n "$(DEST)" || { echo "usage: make vendor DEST=path/to/service/pkg [NAME=import_name] [FORCE=1]" >&2; exit 2; }
	@python3 scripts/dev/vendor.py "$(DEST)" $(if $(NAME),--name "$(NAME)") $(if $(filter 1 yes true,$(FORCE)),--force)

generate: $(VENV_STAMP) ## Regenerate generated/realtimekit_client from openapi/ and scripts/generator
	$(PY) -m scripts.generator.generate

check-generated: $(VENV_STAMP) ## Fail (and show the diff) if generated/ is not what the spec and generator produce
	$(PY) -m scripts.generator.check_generated

lint: $(VENV_STAMP) ## Lint the hand-written code (scripts/, the package's runtime/ and lib/ modules, tests/)
	.venv/bin/ruff check scripts tests
	.venv/bin/ruff format --check scripts tests

# The runtime/ and lib/ modules import the generated package relatively, so mypy checks them where they run: in it.
typecheck: $(VENV_STAMP) ## mypy --strict on the generated package (runtime modules included), scripts/ and tests/
	.venv/bin/mypy --strict generated/realtimekit_client
	.venv/bin/mypy --strict scripts tests

test: $(VENV_STAMP) browser ## Run the test suite (sets up .venv, and Chromium where it can)
	$(PY) -m pytest

check: check-generated lint typecheck test ## All checks: check-generated, lint, typecheck, test (run before every commit)

bench: $(VENV_STAMP) ## Benchmark the SDK against the bare-httpx floor (~2-3 min; BENCH_ARGS="--quick --only parse")
	$(PY) -m scripts.bench.bench $(BENCH_ARGS)
