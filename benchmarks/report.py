"""The table the benchmarks print: one row per measured figure, with its target."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Report:
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)

    def add(self, section: str, figure: str, value: str, target: str = "") -> None:
        self.rows.append((section, figure, value, target))
        print(f"  {section}: {figure} = {value} {('(target ' + target + ')') if target else ''}", flush=True)

    def print(self) -> None:
        headers = ("section", "figure", "measured", "target")
        widths = [max(len(row[i]) for row in [headers, *self.rows]) for i in range(4)]
        line = "+".join("-" * (w + 2) for w in widths)
        print()
        print(" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
        print(line)
        for row in self.rows:
            print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
