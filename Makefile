# Thin wrapper over the workspace tools (uv, ruff, mypy, import-linter, pytest).
# `make run` and `make test` install whatever is missing first.

UV_VERSION := 0.13.9
UV := python3 -m uv
export UV_LINK_MODE := copy

.PHONY: install run test lint typecheck imports unit integration bench format clean

install:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==$(UV_VERSION)"
	@$(UV) sync --frozen --all-packages

run: install
	@$(UV) run --frozen hope-platform run

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

integration: install
	$(UV) run --frozen pytest -m integration

test: lint typecheck imports
	$(UV) run --frozen pytest

bench: install
	$(UV) run --frozen python -m benchmarks

format: install
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
