"""central: the layout of collection.yaml, as pure functions of bytes and data."""

from __future__ import annotations

from typing import Any

import pytest

from bmz_collection.core import central
from bmz_collection.core.central import MARKER, Partner, PartnerBlock
from bmz_collection.core.errors import FatalError
from bmz_collection.core.formatting import dump_canonical, format_text
from bmz_collection.core.loading import parse

HEAD = b"""\
# Our catalogue.
format_version: 0.2.3
type: collection
id: cat
name: Cat
description: "A catalogue."   # quoted on purpose
config:
  partners:
    # the first partner
    - id: alpha
      repository: https://github.com/o/alpha
      branch: main
      collection_file_name: collection.yaml
"""


def block(pid: str, *eids: str, **config: object) -> PartnerBlock:
    entries = [
        {"name": f"N {e}", "id": f"{pid}/{e}", "description": "D", "type": "model", "zeta": 1}
        for e in eids
    ]
    return PartnerBlock(
        Partner(pid, f"https://example.org/{pid}"), {"logo": "L", **config}, entries
    )


def test_split_and_read() -> None:
    raw = central.render(HEAD, [block("alpha", "x")])
    head, generated = central.split(raw)
    assert head == HEAD
    assert generated is not None and generated.startswith(b"partners:\n")
    cf = central.read(raw)
    assert [p.id for p in cf.registry] == ["alpha"]
    assert cf.registry[0].url == "https://github.com/o/alpha"
    assert "collection" not in cf.data and "partners" not in cf.data
    assert central.split(HEAD) == (HEAD, None)


def test_render_is_a_valid_document_with_the_head_kept() -> None:
    raw = central.render(HEAD, [block("beta", "b2", "b1"), block("alpha", "x")])
    assert raw.startswith(HEAD + MARKER.encode() + b"\n")
    data = parse(raw.decode(), "c.yaml")
    assert [e["id"] for e in data["collection"]] == ["alpha/x", "beta/b1", "beta/b2"]
    assert [d["id"] for d in data["partners"]] == ["alpha", "beta"]
    assert data["config"]["partners"][0]["id"] == "alpha"


def test_entries_are_sorted_by_id_and_blocks_stay_contiguous() -> None:
    # '-' sorts before '/': partner "a-b" entries come before partner "a" entries
    raw = central.render(HEAD, [block("a", "z"), block("a-b", "y"), block("ab", "x")])
    ids = [e["id"] for e in parse(raw.decode(), "c")["collection"]]
    assert ids == sorted(ids) == ["a-b/y", "a/z", "ab/x"]


def test_fields_come_in_a_fixed_order() -> None:
    raw = central.render(HEAD, [block("alpha", "x")]).decode()
    entry = raw.split("collection:\n", 1)[1]
    keys = [line.strip().lstrip("- ").split(":")[0] for line in entry.splitlines()]
    assert keys == ["id", "type", "name", "description", "zeta"]


def test_render_is_deterministic_and_compositional() -> None:
    blocks = [block("alpha", "x", "y"), block("beta", "z")]
    one = central.render(HEAD, blocks)
    two = central.render(HEAD, list(reversed(blocks)))
    assert one == two
    generated = central.split(one)[1]
    assert generated is not None
    whole = dump_canonical(
        {
            "partners": [central.partner_details(b) for b in blocks],
            "collection": sorted(
                (central.ordered_entry(e) for b in blocks for e in b.entries), key=lambda e: e["id"]
            ),
        }
    )
    assert generated.decode() == whole


def test_the_generated_part_is_in_canonical_style() -> None:
    blocks = [block("alpha", "x", "y", splash_feature_list=["a: b", "multi\nline\n"])]
    text = central.render(HEAD, blocks).decode()
    generated = text.split(MARKER + "\n", 1)[1]
    assert format_text(generated) == generated
    assert format_text(text) == text.replace('"A catalogue."   #', '"A catalogue."   #')


def test_empty_render() -> None:
    raw = central.render(HEAD, [])
    assert raw.endswith(MARKER.encode() + b"\npartners: []\ncollection: []\n")


def test_partner_details() -> None:
    b = block(
        "alpha", "x", icon="I", splash_title="T", splash_feature_list=None, tags=[], unknown="u"
    )
    details = central.partner_details(b)
    assert details == {
        "id": "alpha",
        "name": "alpha",
        "logo": "L",
        "icon": "I",
        "splash_title": "T",
        "url": "https://bioimage.io/#/?partner=alpha",
        "resources": 1,
    }


def test_rebase_references() -> None:
    data: dict[str, Any] = {
        "id": "p/x",
        "documentation": "docs/x.md",
        "covers": ["https://example.org/c.png", "img/c.png"],
        "attachments": {"files": ["../shared/f.txt"], "other": 1},
        "source": "https://example.org/s",
    }
    out = central.rebase_references(
        data, {"covers": "models/x", "attachments": "models/x"}, "partners/p"
    )
    assert out["documentation"] == "partners/p/docs/x.md"
    assert out["covers"] == ["https://example.org/c.png", "partners/p/models/x/img/c.png"]
    assert out["attachments"] == {"files": ["partners/p/models/shared/f.txt"], "other": 1}
    assert data["covers"][1] == "img/c.png"  # the input is not touched


def test_rebase_references_of_today_s_source_mappings() -> None:
    """0.3 references are ``{source: path}`` mappings (a 0.3 entry also gets them for the
    0.2 fields it inherits): rebased inside, the input untouched. It crashed (KeyError)."""
    data: dict[str, Any] = {
        "documentation": {"source": "README.md", "sha256": "0" * 64},
        "covers": [{"source": "c.png"}, "d.png"],
    }
    out = central.rebase_references(data, {}, "partners/p")
    assert out["documentation"] == {"source": "partners/p/README.md", "sha256": "0" * 64}
    assert out["covers"] == [{"source": "partners/p/c.png"}, "partners/p/d.png"]
    assert data["documentation"]["source"] == "README.md"
    assert data["covers"][0] == {"source": "c.png"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEAD + b"collection: []\n", "`collection` is generated"),
        (HEAD + b"partners: []\n", "`partners` is generated"),
        (b"{a: 1}\n", "block mapping"),
        (b"- a\n", "block mapping"),
        (b"a: 1\n...\n", "block mapping"),
        (b"a: [unclosed\n", "error"),
        (HEAD + MARKER.encode() + b"\n" + MARKER.encode() + b"\n", "more than once"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_read_refuses_heads_it_cannot_extend(text: bytes, message: str) -> None:
    with pytest.raises(FatalError, match=message):
        central.read(text)


@pytest.mark.parametrize(
    ("registry", "message"),
    [
        ("partners: x", "must be a list"),
        ("partners: [x]", "expected a mapping"),
        ("partners: [{id: Bad, repository: r}]", "invalid partner id"),
        ("partners: [{id: ../x, repository: r}]", "invalid partner id"),
        ("partners: [{id: x}]", "`repository` must be"),
        ("partners: [{id: x, repository: r, branch: -x}]", "refusing branch"),
        (
            "partners: [{id: x, repository: r, collection_file_name: /etc/passwd}]",
            "collection file",
        ),
        ("partners: [{id: x, repository: r, collection_file_name: a/../../b}]", "collection file"),
        ("partners: [{id: x, repository: r}, {id: x, repository: s}]", "registered twice"),
    ],
)
def test_registry_errors(registry: str, message: str) -> None:
    with pytest.raises(FatalError, match=message):
        central.read(f"config:\n  {registry}\n".encode())


def test_registry_defaults() -> None:
    cf = central.read(b"config:\n  partners:\n    - {id: x, repository: o/r}\n")
    assert cf.registry == [Partner("x", "o/r", "main", "collection.yaml")]


def test_add_and_remove_keep_the_rest_of_the_head() -> None:
    p = Partner("beta", "https://example.org/beta", "dev", "manifest.yaml")
    added = central.add_partner(HEAD, p)
    assert added.startswith(HEAD)  # comments, quotes and spacing above stay as they were
    assert added[len(HEAD) :] == (
        b"    - id: beta\n"
        b"      repository: https://example.org/beta\n"
        b"      branch: dev\n"
        b"      collection_file_name: manifest.yaml\n"
    )
    assert central.remove_partner(added, "beta") == HEAD


def test_add_to_an_empty_registry_and_remove_the_last() -> None:
    head = b"name: x\nconfig:\n  partners: []\n"
    added = central.add_partner(head, Partner("a", "https://e/a"))
    assert parse(added.decode(), "h")["config"]["partners"][0]["id"] == "a"
    assert central.remove_partner(added, "a") == head


def test_add_follows_an_indentless_list_style() -> None:
    head = b"tags:\n- a\nconfig:\n  partners:\n  - id: a\n    repository: https://e/a\n"
    added = central.add_partner(head, Partner("b", "https://e/b"))
    assert added.startswith(head)
    assert b"\n  - id: b\n    repository: https://e/b\n" in added


def test_initial_head_is_accepted() -> None:
    head = central.initial_head(cid="cat", name="Cat", description="A catalogue: of things.")
    cf = central.read(head)
    assert cf.data["id"] == "cat" and cf.registry == []
