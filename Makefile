# Thin wrapper over the workspace tools (uv, ruff, mypy, import-linter, pytest).
# `make run` and `make test` install whatever is missing first.

UV_VERSION := 0.13.9
UV := python3 -m uv
export UV_LINK_MODE := copy

.PHONY: install run demo test lint typecheck imports unit integration bench format clean browser

install:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==$(UV_VERSION)"
	@$(UV) sync --frozen --all-packages

run: install
	@$(UV) run --frozen hope-platform run

# The platform as `make run` does, in the background; `hope demo` once the gateway is ready; then the platform
# stays up for the programme to be explored, until Ctrl-C stops everything. DEMO_ARGS goes to hope demo
# (e.g. DEMO_ARGS="--years 2 --seed 7"). The demo's clients make years of calls in minutes: the rate limits of the
# platform it starts are raised.
DEMO_ARGS ?=
DEMO_LIMITS := HOPE_GATEWAY_RATE_LIMITS__ADMIN=100000 HOPE_GATEWAY_RATE_LIMITS__WRITER=100000 \
	HOPE_GATEWAY_RATE_LIMITS__READER=100000

demo: install
	@mkdir -p var
	@$(DEMO_LIMITS) $(UV) run --frozen hope-platform run > var/platform.log 2>&1 & platform=$$!; \
	trap 'kill -TERM $$platform 2>/dev/null; wait $$platform' EXIT; trap 'exit 130' INT TERM; \
	echo "[hope] starting the platform (its log: var/platform.log)"; \
	$(UV) run --frozen hope demo --wait 900 $(DEMO_ARGS) || exit $$?; \
	echo "[hope] the programme is on the platform: http://127.0.0.1:8000 (admin client var/keys/admin-client.json); Ctrl-C stops it"; \
	wait $$platform

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

# The services' packages come from the registry of services (`hope new-service` adds to it).
REGISTRY := libs/contracts/src/hope_contracts/services.toml
SERVICE_PACKAGES := $(shell python3 -c 'import sys, tomllib; print(*(s["name"] + "_service" for s in tomllib.load(open(sys.argv[1], "rb"))["service"] if not s.get("planned")))' $(REGISTRY))
PACKAGES := hopekit hope_contracts hope_infra $(SERVICE_PACKAGES)

typecheck: install
	$(UV) run --frozen mypy --strict $(addprefix -p ,$(PACKAGES) benchmarks)

imports: install
	$(UV) run --frozen lint-imports

unit: install
	$(UV) run --frozen pytest -m "not integration"

integration: install browser
	$(UV) run --frozen pytest -m "integration and not national_scale"

# Debian's Chromium for the dashboard's browser tests (Playwright), installed only when missing.
browser:
	@bash infra/install-chromium.sh

test: lint typecheck imports browser
	$(UV) run --frozen pytest

bench: install browser
	$(UV) run --frozen python -m benchmarks
	$(UV) run --frozen pytest -m national_scale -s gateway/tests/integration/test_dashboard_national.py

format: install
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
