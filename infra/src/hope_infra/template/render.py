"""Renders the template files (Jinja2, under ``files/``) into a new service's folder and its event contract."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

SUFFIX = ".j2"


def environment() -> Environment:
    # Not HTML: nothing is escaped; an unknown variable is an error rather than an empty string in generated code.
    return Environment(
        loader=PackageLoader("hope_infra.template", "files"),
        autoescape=False,  # noqa: S701 - Python, TOML and YAML, never HTML
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )


def render(name: str, context: Mapping[str, Any]) -> str:
    return environment().get_template(name).render(**context)


def render_tree(prefix: str, target: Path, context: Mapping[str, Any]) -> list[Path]:
    """Every template under ``files/<prefix>/`` written under ``target``; ``__package__`` in a path is the
    service's package. Returns the files written."""
    written = []
    for name in sorted(environment().list_templates(filter_func=lambda n: n.startswith(prefix + "/"))):
        relative = name.removeprefix(prefix + "/").removesuffix(SUFFIX).replace("__package__", context["package"])
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(name, context))
        written.append(path)
    return written
