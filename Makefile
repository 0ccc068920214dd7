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

PACKAGES := hopekit hope_contracts hope_infra enrolment_service training_service gateway_service

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
