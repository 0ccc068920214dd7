"""The domain is pure Python: it imports the standard library and itself, nothing else (no I/O, no framework)."""

import ast
import sys
from pathlib import Path

import pytest

import funding_service.domain

DOMAIN = Path(funding_service.domain.__file__).parent
FILES = sorted(DOMAIN.glob("*.py"))


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_a_domain_module_imports_only_the_standard_library_and_the_domain(path: Path) -> None:
    foreign = {root for root in _imported_roots(path) if root not in sys.stdlib_module_names}
    assert foreign <= {"funding_service"}, f"{path.name} imports {sorted(foreign)}"


def test_the_domain_never_reaches_outside_its_own_package() -> None:
    for path in FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("funding_service"):
                assert node.module.startswith("funding_service.domain"), f"{path.name}: {node.module}"


def test_money_is_never_a_float_in_the_domain() -> None:
    for path in FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, float):
                pytest.fail(f"{path.name}:{node.lineno} has a float literal")
            if isinstance(node, ast.Name) and node.id == "float":
                assert path.name == "money.py", f"{path.name}:{node.lineno} mentions float"
