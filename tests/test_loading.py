"""Safe loading: every refusal is one positioned finding with a stable rule id."""

from __future__ import annotations

import pytest

from bmz_collection.core.limits import MAX_BYTES
from bmz_collection.core.loading import LoadError, load_mapping, locate

from .hostile.cases import alias_bomb


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
