"""Golden pairs, one folder per style rule under tests/fixtures/format/: ``before.yaml``
formats to ``after.yaml`` (with the folder's ``pyproject.toml`` style, if any), and
``after.yaml`` is a fixed point. The first lines of each ``before.yaml`` say the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from bmz_collection.core.formatting import format_text
from bmz_collection.io.config import load_style

GOLDEN = Path(__file__).parent / "fixtures" / "format"
CASES = sorted(p for p in GOLDEN.iterdir() if (p / "before.yaml").is_file())


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def test_every_style_rule_has_a_golden_pair() -> None:
    names = {case.name for case in CASES}
    assert {
        "indent-mappings",
        "indent-sequences",
        "dash-gap",
        "final-newline",
        "trailing-spaces",
        "tabs",
        "comments",
        "block-scalars",
        "multi-line-scalars",
        "kept-as-written",
        "no-wrapping",
        "style-indent-4",
        "style-flush-sequences",
    } <= names


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_before_formats_to_after(case: Path) -> None:
    style = load_style(case)
    before, after = read(case / "before.yaml"), read(case / "after.yaml")
    assert format_text(before, style) == after
    assert format_text(after, style) == after


def test_already_canonical_file_is_returned_as_it_is() -> None:
    text = read(GOLDEN / "kept-as-written" / "before.yaml")
    assert format_text(text) == text
    assert format_text(text.replace("\n", "  \n", 1)) == text  # a change is undone


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("a: 1\r\nb:\r\n    - x\r\n", "a: 1\nb:\n  - x\n"),  # CRLF (kept out of fixture files)
        ("a: 1\rb: 2\r", "a: 1\nb: 2\n"),  # old Mac CR
        ("\ufeffa: 1\n", "a: 1\n"),  # byte order mark
        ("a: 1\n\n\n", "a: 1\n"),  # several final newlines
        ("a: 1\n  \n   \n", "a: 1\n"),  # final blank lines with white space
        ("a: |\n  text", "a: |-\n  text\n"),  # the newline we add must not join the text
        ("a: |+\n  text\n\n", "a: |+\n  text\n\n"),  # these blank lines are data
        ("a: 'x\ty'\n", "a: 'x\ty'\n"),  # a tab in single quotes is data: it stays
        ('a: "x\\\t\n  y"\n', 'a: "x\\t\n  y"\n'),  # an escaped tab at a line end
        ('a: "x\\ \n  y"\n', 'a: "x\\x20\n  y"\n'),  # an escaped space at a line end
        ("", ""),
    ],
)
def test_line_ending_and_edge_rules(before: str, after: str) -> None:
    assert format_text(before) == after


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_pure_python_scanner_gives_the_same_result(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without ruamel.yaml.clib the pure-Python scanner is used; the result is the same."""
    import bmz_collection.core.formatting as formatting
    import bmz_collection.core.formatting.tokens as tokens

    style = load_style(case)
    before = read(case / "before.yaml")
    with_c = format_text(before, style)
    monkeypatch.setattr(tokens, "_CParser", None)
    try:
        assert format_text(before, style) == with_c
    except formatting.FormatError as exc:  # the pure scanner refuses `key:<tab>value`
        assert case.name == "tabs" and exc.finding.rule == "format-scan"
