import ast
from pathlib import Path

import support_service.domain

FRAMEWORKS = {"hopekit", "hope_contracts", "fastapi", "sqlalchemy", "pydantic", "aiokafka", "httpx", "cryptography"}
DOMAIN = Path(support_service.domain.__file__).parent


def test_the_domain_imports_no_framework_and_no_infrastructure() -> None:
    imported: set[str] = set()
    for source in DOMAIN.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
    assert "support_service" in imported
    assert not imported & FRAMEWORKS
