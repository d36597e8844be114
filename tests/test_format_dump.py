"""`dump_canonical`: what `bmz sync` writes is already in `bmz format`'s canonical style, with
quotes exactly where a string would otherwise read as something else (YAML 1.1 or 1.2)."""

from __future__ import annotations

import pytest

from bmz_collection.core.formatting import Style, dump_canonical, format_text
from bmz_collection.core.loading import parse

ENTRY = {
    "id": "ilastik/covid_if",
    "type": "dataset",
    "format_version": "0.2.2",
    "name": "Covid-IF: training data",
    "authors": [{"name": "Constantin Pape", "orcid": "0000-0001-6562-7187"}],
    "tags": ["covid", "3d"],
    "covers": [],
    "config": {},
    "description": "First line\nsecond line\n",
    "version": 0.2,
    "n": None,
}


def test_sync_like_data_in_canonical_style() -> None:
    text = dump_canonical({"collection": [ENTRY], "count": 1})
    assert text == (
        "collection:\n"
        "  - id: ilastik/covid_if\n"
        "    type: dataset\n"
        "    format_version: 0.2.2\n"
        "    name: 'Covid-IF: training data'\n"
        "    authors:\n"
        "      - name: Constantin Pape\n"
        "        orcid: 0000-0001-6562-7187\n"
        "    tags:\n"
        "      - covid\n"
        "      - 3d\n"
        "    covers: []\n"
        "    config: {}\n"
        "    description: |\n"
        "      First line\n"
        "      second line\n"
        "    version: 0.2\n"
        "    'n': null\n"
        "count: 1\n"
    )
    assert format_text(text) == text
    assert parse(text, "dump") == {"collection": [ENTRY], "count": 1}


@pytest.mark.parametrize("style", [Style(4), Style(2, False), Style(3, True)])
def test_other_styles_are_fixed_points_of_the_formatter(style: Style) -> None:
    text = dump_canonical({"collection": [ENTRY, [ENTRY, []]], "x": {"y": {"z": "a\nb"}}}, style)
    assert format_text(text, style) == text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("0.2", "'0.2'"),
        ("yes", "'yes'"),
        ("No", "'No'"),
        ("on", "'on'"),
        ("0755", "'0755'"),
        ("0o17", "'0o17'"),
        ("0x1F", "'0x1F'"),
        ("1e3", "'1e3'"),
        ("1_000", "'1_000'"),
        ("1:30", "'1:30'"),
        (".5", "'.5'"),
        (".inf", "'.inf'"),
        ("null", "'null'"),
        ("~", "'~'"),
        ("", "''"),
        ("2024-01-02", "'2024-01-02'"),
        ("<<", "'<<'"),
        ("a: b", "'a: b'"),
        ("a #b", "'a #b'"),
        ("#b", "'#b'"),
        ("- x", "'- x'"),
        ("ends:", "'ends:'"),
        (" lead", "' lead'"),
        ("it's", "it's"),
        ("'quoted'", "'''quoted'''"),
        ("tab\there", '"tab\\there"'),
        ("bell\x07", '"bell\\x07"'),
        ("line\u2028sep", '"line\\u2028sep"'),
        ("x\n\n", '"x\\n\\n"'),
        ("hello world", "hello world"),
        ("https://example.org/a:b", "https://example.org/a:b"),
        ("stardist/stardist", "stardist/stardist"),
        ("Ünïcödé 🦉", "Ünïcödé 🦉"),
        ("10.5281/zenodo.5749843", "10.5281/zenodo.5749843"),
        (1, "1"),
        (-2.5, "-2.5"),
        (1e-07, "1.0e-07"),
        (float("inf"), ".inf"),
        (True, "true"),
        (None, "null"),
    ],
)
def test_quotes_only_where_needed(value: object, written: str) -> None:
    text = dump_canonical({"k": value})
    assert text == f"k: {written}\n"
    assert parse(text, "dump") == {"k": value}


def test_quoting_holds_for_yaml_1_1_readers() -> None:
    yaml = pytest.importorskip("yaml")  # PyYAML reads YAML 1.1
    values = ["yes", "No", "on", "0755", "1_000", "1:30", "2024-01-02", "=", "0.2", "1e3"]
    assert yaml.safe_load(dump_canonical({"v": values})) == {"v": values}


def test_unsupported_data_is_refused() -> None:
    with pytest.raises(TypeError, match="keys must be strings"):
        dump_canonical({1: "x"})
    with pytest.raises(TypeError, match="cannot write a set"):
        dump_canonical({"x": {1, 2}})
