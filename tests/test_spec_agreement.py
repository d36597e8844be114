"""`bmz validate` gives bioimageio.spec 0.5.14.3's verdict on every file of the corpus (see
tests/spec_corpus.py), except the deliberate differences of docs/spec-differences.md."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from bmz_collection.cli.main import main

from . import spec_corpus, spec_oracle
from .realworld import needs_real_world

pytestmark = [needs_real_world, pytest.mark.slow]  # bioimageio.spec reads a 282-file corpus

DOC = Path(__file__).resolve().parents[1] / "docs" / "spec-differences.md"


@pytest.fixture(scope="module")
def verdicts(
    tmp_path_factory: pytest.TempPathFactory,
) -> list[tuple[spec_corpus.Item, bool, bool]]:
    """(item, the library accepts it, bmz accepts it) for the whole corpus."""
    items = spec_corpus.build(tmp_path_factory.mktemp("corpus"))
    theirs = {item.path: spec_oracle.accepts(item.path) for item in items}
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(["validate", "--format", "json", *(str(i.path) for i in items)])
    report = json.loads(out.getvalue())
    assert report["files_checked"] == len(items)
    rejected = {Path(f["file"]) for f in report["findings"] if f["severity"] == "error"}
    return [(item, theirs[item.path], item.path not in rejected) for item in items]


def test_the_corpus_is_large_and_mixed(
    verdicts: list[tuple[spec_corpus.Item, bool, bool]],
) -> None:
    origins = {
        o: sum(1 for i, _, _ in verdicts if i.origin == o) for o in ("real", "own", "mutation")
    }
    print(f"corpus: {len(verdicts)} files {origins}")
    assert len(verdicts) >= 200, origins
    assert origins["real"] >= 111 and origins["own"] >= 15 and origins["mutation"] >= 80
    accepted = sum(1 for _, theirs, _ in verdicts if theirs)
    assert 50 <= accepted <= len(verdicts) - 50  # both verdicts are well represented


def test_bmz_agrees_with_bioimageio_spec(
    verdicts: list[tuple[spec_corpus.Item, bool, bool]],
) -> None:
    disagree = [
        f"{item.origin}/{item.name}: library {'accepts' if theirs else 'rejects'}"
        for item, theirs, ours in verdicts
        if item.difference is None and theirs != ours
    ]
    assert disagree == []


STRICTER = {"path-missing": True, "license-missing": True, "future-format": True}
"""Per row of docs/spec-differences.md: True when bmz rejects what the library accepts."""
LOOSER = {"unknown-keys": True}
"""... and True when bmz accepts what the library rejects."""


@pytest.mark.parametrize("row", sorted({*STRICTER, *LOOSER}))
def test_each_deliberate_difference_is_a_documented_row(
    row: str, verdicts: list[tuple[spec_corpus.Item, bool, bool]]
) -> None:
    assert f"| `{row}` |" in DOC.read_text(encoding="utf-8")
    items = [(i, theirs, ours) for i, theirs, ours in verdicts if i.difference == row]
    differing = [(i, theirs, ours) for i, theirs, ours in items if theirs != ours]
    assert differing, f"no file of the corpus shows the difference {row}"
    for item, theirs, ours in differing:
        # the difference goes the documented way, and only that way
        assert (theirs, ours) == ((True, False) if row in STRICTER else (False, True)), item.name


def test_every_difference_of_the_corpus_has_its_row(
    verdicts: list[tuple[spec_corpus.Item, bool, bool]],
) -> None:
    assert {i.difference for i, _, _ in verdicts if i.difference} == {*STRICTER, *LOOSER}
