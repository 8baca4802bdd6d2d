"""``python -m sim.validation``: write the table of every check into docs/validation.md."""

from pathlib import Path

from sim.validation.facts import with_table

doc = Path(__file__).resolve().parents[2] / "docs" / "validation.md"
doc.write_text(with_table(doc.read_text(encoding="utf-8")), encoding="utf-8")
