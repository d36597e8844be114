"""Property tests: hand-written-looking YAML in every layout people use, formatted.

The documents are generated as text, the way people type them: any indentation, flush or
indented sequences, wide dash gaps, comments at odd columns and after values, blank lines with
spaces, trailing spaces, tabs as separators, flow lists over several lines, quoted and block
scalars (all chomping modes, indentation indicators), multi-line plain and quoted scalars,
anchors and aliases, `%YAML`/`---`, CRLF, a missing or doubled final newline. For each one that
the safe loader accepts, formatting keeps the data (strictly: types and key order), is
idempotent and keeps every comment in order — checked here, independently of the formatter's
own run-time checks — and the result is canonical where the data allows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bmz_collection.core.formatting import Style, comments, dump_canonical, format_text
from bmz_collection.core.loading import LoadError, parse

WORDS = st.sampled_from(
    ["alpha", "beta", "gamma", "delta", "nuclei", "unet", "x", "id", "name", "tags", "v0.2"]
)
PLAIN = st.sampled_from(
    [
        "plain",
        "two words",
        "https://example.org/a.png",
        "10.5281/zenodo.1",
        "42",
        "3.5",
        "true",
        "null",
        "~",
        "2024-01-02",
        "a-b_c",
        "Ünïcödé 🦉",
        "x'y",
        'say "hi"',
    ]
)
QUOTED = st.sampled_from(
    [
        "'0.2'",
        "'yes'",
        "'0755'",
        "'it''s'",
        "''",
        '"yes"',
        '"a # not a comment"',
        '"key: value"',
        '"\\U0001F989"',
        '"tab\\there"',
        '"  spaces  "',
        "'#hash'",
        '"line\\nbreak"',
        "' lead'",
    ]
)


@dataclass
class Doc:
    """The text being built, and what the generator needs to stay valid YAML."""

    draw: Any
    lines: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    block_floor: int = 1_000_000  # comments after a block scalar must stay left of its text

    def flag(self, p: float = 0.5) -> bool:
        return bool(self.draw(st.integers(0, 99)) < p * 100)

    def pick(self, options: list[str] | tuple[str, ...]) -> str:
        choice: str = self.draw(st.sampled_from(options))
        return choice

    def word(self) -> str:
        word: str = self.draw(WORDS)
        return word

    def tail(self) -> str:
        """Trailing white space, an end-of-line comment, or nothing."""
        if self.flag(0.15):
            return self.pick(["  ", " ", "\t", " \t "])
        if self.flag(0.15):
            return self.pick([" ", "  ", "\t"]) + "# " + self.word() + self.pick(["", "  "])
        return ""

    def comment_lines(self, col: int) -> None:
        while self.flag(0.15):
            where = self.draw(st.integers(0, col + 3))
            where = min(where, self.block_floor - 1)
            self.lines.append(" " * where + self.pick(["#", "# ", "#\t", "## "]) + self.word())
        if self.flag(0.1):
            spaces = min(self.draw(st.integers(0, 6)), max(self.block_floor - 1, 0))
            self.lines.append(" " * spaces)

    def anchor(self) -> str:
        if self.flag(0.1):
            name = f"a{len(self.anchors)}"
            self.anchors.append(name)
            return f"&{name} "
        return ""


def scalar_value(doc: Doc, col: int) -> list[str]:
    """A value that fits after `key: ` or `- `; extra lines already indented."""
    kind = doc.pick(["plain", "quoted", "plain", "multi", "dq-multi", "flow", "flow-multi"])
    if doc.anchors and doc.flag(0.1):
        return ["*" + doc.pick(doc.anchors)]
    if kind == "plain":
        return [doc.anchor() + doc.draw(PLAIN)]
    if kind == "quoted":
        return [doc.anchor() + doc.draw(QUOTED)]
    if kind == "multi":
        pad = " " * (col + doc.draw(st.integers(1, 4)))
        rest = [pad + doc.word() for _ in range(doc.draw(st.integers(1, 3)))]
        return ["plain start", *rest]
    if kind == "dq-multi":
        pad = " " * (col + doc.draw(st.integers(1, 4)))
        middle = doc.pick(["in the middle", "", 'with \\" quote', "tab\there", "esc \\"])
        return ['"starts here' + doc.pick(["", "  ", "\t"]), pad + middle, pad + 'ends"']
    items = [
        doc.draw(st.sampled_from(["a", "'b c'", '"d"', "1", "{k: v}", "[x, y]"])) for _ in range(3)
    ]
    if kind == "flow":
        return [doc.anchor() + "[" + doc.pick([", ", ",", ",\t"]).join(items) + "]"]
    pad = " " * (col + doc.draw(st.integers(1, 5)))
    return ["[" + items[0] + ",", pad + items[1] + ",  ", pad + "# inside", pad + items[2] + "]"]


def block_scalar(doc: Doc, owner_col: int, header_prefix: str) -> None:
    style = doc.pick(["|", ">"])
    chomp = doc.pick(["", "-", "+"])
    digit = doc.draw(st.integers(1, 3)) if doc.flag(0.2) else None
    content = owner_col + (digit if digit else doc.draw(st.integers(1, 4)))
    header = style + (str(digit) if digit else "") + chomp
    first_extra = " " if digit and doc.flag(0.5) else ""
    doc.lines.append(header_prefix + header + doc.pick(["", "", " # about it", "  "]))
    body = [
        first_extra + doc.word(),
        doc.word() + doc.pick(["", "  ", "\t"]),
        "",
        "  " + doc.word(),
        "# not a comment",
    ]
    for text in body[: doc.draw(st.integers(1, 5))]:
        if text == "":
            doc.lines.append(" " * doc.draw(st.integers(0, content)))
        else:
            doc.lines.append(" " * content + text)
    if chomp == "+" and doc.flag(0.3):
        doc.lines.append("")
    doc.block_floor = content


def mapping(doc: Doc, col: int, depth: int, first: str | None = None) -> None:
    keys = doc.draw(st.lists(WORDS, min_size=1, max_size=4, unique=True))
    for n, key in enumerate(keys):
        if n or first is None:
            doc.comment_lines(col)
        prefix = (
            (first if n == 0 and first is not None else " " * col)
            + doc.pick([key, key, f"'{key}'", f'"{key}"'])
            + doc.pick([":", ":", ":\t"] if n else [":"])
        )
        doc.block_floor = 1_000_000
        what = doc.pick(["scalar", "scalar", "block", "map", "seq"] if depth < 3 else ["scalar"])
        if what == "scalar":
            value = scalar_value(doc, col)
            sep = "\t" if prefix.endswith("\t") else " "
            doc.lines.append(
                prefix.rstrip("\t") + sep + value[0] + (doc.tail() if len(value) == 1 else "")
            )
            doc.lines.extend(value[1:])
        elif what == "block":
            block_scalar(doc, col, prefix.rstrip("\t") + " " + doc.anchor())
        elif what == "map":
            doc.lines.append(
                prefix.rstrip("\t")
                + (" " + doc.anchor().strip() if doc.flag(0.1) else "")
                + doc.tail()
            )
            mapping(doc, col + doc.draw(st.integers(1, 4)), depth + 1)
        else:
            doc.lines.append(prefix.rstrip("\t") + doc.tail())
            sequence(doc, col + doc.draw(st.integers(0, 4)), depth + 1)


def sequence(doc: Doc, col: int, depth: int) -> None:
    for _ in range(doc.draw(st.integers(1, 3))):
        doc.comment_lines(col)
        doc.block_floor = 1_000_000
        dash = " " * col + "-" + doc.pick([" ", " ", "  ", "   "])
        what = doc.pick(
            ["scalar", "scalar", "block", "map", "map-below", "seq"] if depth < 3 else ["scalar"]
        )
        if what == "scalar":
            value = scalar_value(doc, col)
            doc.lines.append(dash + value[0] + (doc.tail() if len(value) == 1 else ""))
            doc.lines.extend(value[1:])
        elif what == "block":
            block_scalar(doc, col, dash)
        elif what == "map":
            mapping(doc, len(dash), depth + 1, first=dash)
        elif what == "map-below":
            doc.lines.append(" " * col + "-" + doc.tail())
            mapping(doc, col + doc.draw(st.integers(1, 4)), depth + 1)
        else:
            inner = len(dash)
            doc.lines.append(dash + "- " + doc.draw(PLAIN))
            doc.lines.append(" " * inner + "- " + doc.draw(QUOTED))


@st.composite
def documents(draw: Any) -> str:
    doc = Doc(draw)
    if doc.flag(0.2):
        doc.lines.append("# leading comment block")
        doc.lines.append("#   second line ")
    if doc.flag(0.1):
        doc.lines.append("%YAML 1.2")
    if doc.flag(0.25):
        doc.lines.append("---" + doc.pick(["", " # start"]))
    root = doc.draw(st.integers(0, 2))
    if doc.flag(0.25):
        sequence(doc, root, 0)
    else:
        mapping(doc, root, 0)
    if doc.flag(0.1):
        doc.lines.append("# trailing comment")
    text = "\n".join(doc.lines)
    text += doc.pick(["\n", "\n", "", "\n\n", "\n  \n"])
    if doc.flag(0.1):
        text = text.replace("\n", "\r\n")
    return text


def same(a: Any, b: Any) -> bool:
    """Equal data, with types and key order: JSON text tells 1, 1.0 and true apart."""
    return json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)


def ink(text: str) -> str:
    """Everything but white space: what a whitespace-only rewrite must keep."""
    return re.sub(r"[ \t\r\n]", "", text)


SETTINGS = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[
        HealthCheck.filter_too_much,
        HealthCheck.too_slow,
        HealthCheck.large_base_example,
    ],
)


@pytest.mark.slow
@SETTINGS
@given(documents(), st.sampled_from([Style(), Style(4), Style(2, False), Style(3, True)]))
def test_generated_documents_keep_data_and_comments_and_are_stable(text: str, style: Style) -> None:
    try:
        data = parse(text, "gen.yaml")
    except LoadError:
        assume(False)
        return
    out = format_text(text, style, file="gen.yaml")
    assert same(parse(out, "out.yaml"), data)
    assert format_text(out, style) == out
    assert comments(out) == comments(text)
    assert "\r" not in out
    if "\t" not in text and text.endswith("\n"):
        # no tab to escape, no block scalar at the end to give a `-`: only white space moved
        assert ink(out) == ink(text)
    assert_canonical_white_space(out)


def assert_canonical_white_space(out: str) -> None:
    """Trailing white space only inside block scalar text; tabs only inside text that cannot
    escape them (plain, single-quoted, block scalars) or comments."""
    from ruamel.yaml import YAML

    data_spans: list[tuple[int, int, str | None]] = []  # where white space may be data
    for tok in YAML(typ="safe").scan(out):
        style = getattr(tok, "style", None)
        if type(tok).__name__ == "ScalarToken" and style != '"':
            data_spans.append((tok.start_mark.index, tok.end_mark.index, style))

    def inside(index: int, styles: tuple[str | None, ...]) -> bool:
        return any(a <= index < b and style in styles for a, b, style in data_spans)

    pos = 0
    for line in out.split("\n"):
        stripped = line.rstrip(" \t")
        if stripped != line:
            assert inside(pos + len(stripped), ("|", ">")), repr(line)
        tab = line.find("\t")
        while tab >= 0:
            hash_at = line.find("#")
            in_comment = 0 <= hash_at < tab and not inside(pos + hash_at, (None, "", "'", "|", ">"))
            assert in_comment or inside(pos + tab, (None, "", "'", "|", ">")), repr(line)
            tab = line.find("\t", tab + 1)
        pos += len(line) + 1


def json_like() -> st.SearchStrategy[Any]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=True, allow_infinity=True)
        | st.text(max_size=30)
        | st.sampled_from(
            [
                "0.2",
                "yes",
                "0755",
                "no",
                "on",
                "~",
                "null",
                "1e3",
                "2024-01-01",
                "a: b",
                "- x",
                "#c",
                "|",
                "x\ny\n",
                "x\ny",
                "  lead",
                "tab\tin",
                "\u2028",
                "<<",
                "=",
            ]
        )
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.text(max_size=12) | st.sampled_from(["yes", "0.2", "null"]), inner, max_size=4
            )
        ),
        max_leaves=20,
    )


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(json_like(), st.sampled_from([Style(), Style(4), Style(2, False)]))
def test_dump_canonical_round_trips_and_is_already_formatted(data: Any, style: Style) -> None:
    text = dump_canonical(data, style)
    assert same(parse(text, "dump.yaml"), data) or _nan_equal(parse(text, "dump.yaml"), data)
    assert format_text(text, style) == text


def _nan_equal(a: Any, b: Any) -> bool:
    return json.dumps(a).replace("NaN", "nan") == json.dumps(b).replace("NaN", "nan")


@settings(max_examples=200, deadline=None)
@given(json_like())
def test_dump_canonical_reads_the_same_in_yaml_1_1(data: Any) -> None:
    """PyYAML reads YAML 1.1 (`yes` is a bool, `0755` octal): quoting must cover it too."""
    yaml = pytest.importorskip("yaml")
    text = dump_canonical(data)
    assert _nan_equal(yaml.safe_load(text), data)
