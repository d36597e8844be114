"""Safe loading: every refusal is one positioned finding with a stable rule id."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from bmz_collection.core.findings import Finding, Severity
from bmz_collection.core.limits import MAX_BYTES
from bmz_collection.core.loading import LoadError, load_mapping, locate

from .hostile.cases import alias_bomb
from .realworld import REAL_WORLD, needs_real_world


def refuse(raw: bytes) -> tuple[str, int | None, int | None, str]:
    with pytest.raises(LoadError) as info:
        load_mapping(raw, "f.yaml")
    f = info.value.finding
    return f.rule, f.line, f.column, f.message


@pytest.mark.parametrize(
    ("raw", "rule", "line", "column"),
    [
        (b"a: 1\nb: 2\na: 3\n", "yaml-duplicate-key", 3, 1),
        (b"name: x\nrun: !!python/object/apply:os.system [ls]\n", "yaml-tag", 2, 6),
        (b"a: !custom 1\n", "yaml-tag", 1, 4),
        (b"- a\n- b\n", "yaml-not-mapping", 1, 1),
        (b"just a string\n", "yaml-not-mapping", 1, 1),
        (b"", "yaml-not-mapping", 1, 1),
        (b"# only a comment\n", "yaml-not-mapping", 1, 1),
        (b"name: ok\ndesc: caf\xe9\n", "yaml-encoding", 2, 10),
        (b"a: 1\n---\nb: 2\n", "yaml-multiple-documents", 2, 1),
        (b"a: [1, 2\n", "yaml-syntax", 2, 1),
        (b"a: &x [*x]\n", "yaml-recursive-alias", 1, 4),
        (b"1: one\n", "yaml-key-type", 1, 1),
        (b"a:\n  null: x\n", "yaml-key-type", 2, 3),
        (b"a:\tb\n\tc: d\n", "yaml-syntax", 2, 1),
        (b"[" * 10_000 + b"]" * 10_000, "yaml-too-deep", 1, 65),
        (b"a: \x00\n", "yaml-control-char", 1, 4),
    ],
)
def test_refusals_are_positioned(raw: bytes, rule: str, line: int, column: int) -> None:
    got_rule, got_line, got_column, message = refuse(raw)
    assert (got_rule, got_line, got_column) == (rule, line, column), message
    assert "\n" not in message


@pytest.mark.parametrize(
    "text",
    [
        # every level holds a quoted `]` and closes after a quoted `[`: the brackets pair up
        # flat for the regex passes, and there are too few of them for the event pass
        "a: " + '["]", ' * 100 + "1" + ', "[" ]' * 100 + "\n",
        # the same through ruamel's own constructor (an explicit tag makes the text unusual)
        "a: !!str x\nb: " + '["]", ' * 100 + "1" + ', "[" ]' * 100 + "\n",
    ],
    ids=["lean constructor", "ruamel constructor"],
)
def test_depth_hidden_by_quoted_brackets_is_still_refused_where_it_is(text: str) -> None:
    from bmz_collection.core import depth

    assert depth.first_too_deep(text) is None  # the quick check is fooled, by design
    expected = depth._event_pass(text)  # what the exact event pass would say
    assert expected is not None
    rule, line, column, _ = refuse(text.encode())
    assert (rule, line, column) == ("yaml-too-deep", *expected)


def test_alias_bomb_fails_fast() -> None:
    rule, _, _, message = refuse(alias_bomb().encode())
    assert rule == "yaml-too-many-nodes"
    assert "alias" in message


def test_small_alias_use_is_fine() -> None:
    doc = load_mapping(b"base: &b {x: 1}\nother: *b\n", "f.yaml")
    assert doc.data == {"base": {"x": 1}, "other": {"x": 1}}


def test_size_limit() -> None:
    rule, _, _, message = refuse(b"a: " + b"x" * MAX_BYTES + b"\n")
    assert rule == "yaml-too-large"
    assert str(MAX_BYTES) in message


def test_bom_and_crlf_are_fine() -> None:
    doc = load_mapping(b"\xef\xbb\xbfname: x\r\ntags: [a,\r\n  b]\r\n", "f.yaml")
    assert doc.data == {"name": "x", "tags": ["a", "b"]}


def test_yaml_12_semantics_and_json_values() -> None:
    doc = load_mapping(b"v: 0.2\nb: yes\nd: 2024-03-01\nt: 2024-03-01T10:00:00Z\n", "f.yaml")
    assert doc.data == {"v": 0.2, "b": "yes", "d": "2024-03-01", "t": "2024-03-01T10:00:00+00:00"}


def test_locate_walks_the_document_path() -> None:
    text = "a:\n  b:\n    - x\n    - y: 3\n"
    assert locate(text, ("a", "b", 1, "y")) == (4, 10)
    assert locate(text, ("a", "missing")) == (2, 3)  # deepest existing parent
    assert locate(text, ()) == (1, 1)


def test_load_error_str_is_one_line() -> None:
    with pytest.raises(LoadError) as info:
        load_mapping(b"a: 1\na: 2\n", "dir/f.yaml")
    assert str(info.value) == 'dir/f.yaml:2:1: error: found duplicate key "a" [yaml-duplicate-key]'


TRICKY = [
    "a: 012\nb: 0o12\nc: 1_000\nd: 1e3\ne: 0x1F\nf: .inf\ng: -.Inf\ni: ~\nj: null\nk: TRUE\n",
    "d: 2024-01-02\nt: 2024-01-02 10:11:12.5 +02:00\nu: 2001-12-14t21:59:43.10-05:00\n",
    "n: ''\no: !!str 3\np: [1, 2.5, '3', yes, no, on]\nq: &x {a: [1, {b: c}]}\nr: *x\n",
    "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n",
    "list: &l [a, b]\nmaps: [{<<: {k: 1}}, {k: 2}]\nagain: *l\n",
    "o: !!omap [{a: 1}, {b: 2}]\ns: !!str\nm: !!map {a: 1}\n",
    "a: +1\nb: -0x1F\nc: 1:30\nd: 0b101\ne: +.5\nf: 1.\ng: 6.8523015e+5\nh: 0000e12\n",
]


def _oracle(text: str) -> Any:
    """ruamel's own pure-Python safe loader, dates as ISO strings: what we must equal."""
    from ruamel.yaml import YAML

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, (datetime.date, datetime.datetime)):
            return value.isoformat()
        return value

    return plain(YAML(typ="safe", pure=True).load(text))


def _typed(value: Any) -> Any:
    """Equality that tells True from 1 and 1 from 1.0."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


@pytest.mark.parametrize("text", TRICKY)
def test_the_data_is_ruamels(text: str) -> None:
    """The fast constructor (and its fallback for merge keys and explicit tags) gives exactly
    the data ruamel's own safe loader gives."""
    assert _typed(load_mapping(text.encode(), "f.yaml").data) == _typed(_oracle(text))


@needs_real_world
def test_the_data_of_real_files_is_ruamels() -> None:
    files = sorted(REAL_WORLD.rglob("*.yaml"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert _typed(load_mapping(text.encode(), path.name).data) == _typed(_oracle(text)), path


def test_floats_without_a_dot_load_silently(capfd: pytest.CaptureFixture[str]) -> None:
    """ruamel's C loader took YAML 1.1 branches for floats and printed a 1.1 warning."""
    assert load_mapping(b"v: 1e3\nsha: 0000e12\n", "f.yaml").data == {"v": 1000.0, "sha": 0.0}
    assert capfd.readouterr().err == ""


def test_positions_come_from_the_load_and_survive_merge_keys() -> None:
    """Findings are positioned from the node graph of the load; a merge key makes ruamel's
    constructor rewrite that graph, so positions then come from the text as written."""
    text = "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\nlast: [a, b]\n"
    doc = load_mapping(text.encode(), "f.yaml")
    cases = [(("other", "y"), (4, 6)), (("last", 1), (5, 11)), (("other", "x"), (3, 3))]
    for path, where in cases:  # a merged key: the mapping it was merged into
        found = doc.locate(Finding("f.yaml", Severity.ERROR, "r", "m", path))
        assert (found.line, found.column) == where == locate(text, path)
