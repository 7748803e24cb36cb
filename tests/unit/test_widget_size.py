"""The embeddable widget stays small: all of its JavaScript and CSS under 30 KB gzipped."""

from __future__ import annotations

import gzip
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "src" / "townhall" / "web" / "static"
BUDGET = 30 * 1024


def _widget_files() -> list[Path]:
    return sorted(p for p in STATIC.iterdir() if p.suffix in {".js", ".css"})


def test_widget_assets_exist() -> None:
    names = {p.name for p in _widget_files()}
    assert "embed.js" in names


def test_widget_javascript_and_css_fit_the_gzip_budget() -> None:
    total = sum(len(gzip.compress(p.read_bytes(), compresslevel=6)) for p in _widget_files())
    assert total < BUDGET, f"widget is {total} bytes gzipped, budget {BUDGET}"


def test_widget_uses_no_eval_or_inline_handlers() -> None:
    for path in _widget_files():
        text = path.read_text(encoding="utf-8")
        assert "eval(" not in text, path.name
        assert "new Function" not in text, path.name
        assert "document.write" not in text, path.name
        assert ".innerHTML = c." not in text, path.name
