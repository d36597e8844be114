"""A sync scenario built like a real partner's history (tests/fixtures/summary/history.md):
``dl4mic`` (on GitHub) makes 26 commits that bump a nested ``config`` version on its 30
notebooks, add ``license: CC-BY-4.0`` to them (one with a licence that is not an SPDX id: a new
warning), rewrite one long description and add a notebook; ``biapy`` makes 61 commits whose
41st breaks its collection, so its head stays broken and it is held back. Fixed identities and
dates (``git_env``), files written literally: the commit hashes are stable."""

from __future__ import annotations

from pathlib import Path

import pytest

from .gitrepos import Central, make_central
from .summary_scenario import collection, partner

NOTEBOOKS = 30
LONG = (
    "A notebook that trains and applies a network on your own images, with a graphical "
    "interface; see the documentation for the parameters."
)


def notebook(i: int, version: str, licence: str | None, description: str = "Notebook.") -> str:
    lic = f"    license: {licence}\n" if licence else ""
    return (
        f"  - id: nb{i:02d}\n"
        "    type: application\n"
        f"    name: Notebook {i}\n"
        f"    description: {description}\n"
        f"    source: https://example.org/nb{i:02d}.ipynb\n"
        f"{lic}"
        "    tags: [notebook]\n"
        "    config:\n"
        "      dl4miceverywhere:\n"
        f"        version: {version}\n"
    )


def notebooks(version: str, licence: str | None, *, extra: bool = False) -> str:
    out = []
    for i in range(NOTEBOOKS):
        lic = licence
        if licence and i == 7:
            lic = "Custom-Licence"
        description = LONG if i == 3 and extra else ("Notebook." if i != 3 else "Short.")
        out.append(notebook(i, version, lic, description))
    if extra:
        out.append(notebook(NOTEBOOKS, version, licence))
    return "".join(out)


def app(eid: str, tags: str) -> str:
    return (
        f"  - id: {eid}\n"
        "    type: application\n"
        f"    name: App {eid}\n"
        "    description: An app.\n"
        f"    source: https://example.org/{eid}.html\n"
        f"    tags: {tags}\n"
    )


def build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Central:
    central = make_central(tmp_path, capsys)
    dl4mic = partner(tmp_path, "dl4mic", collection("dl4mic", notebooks("2.0.0", None)))
    dl4mic.serve_as("https://github.com/example-org/dl4mic")
    biapy = partner(tmp_path, "biapy", collection("biapy", app("b1", "[seg]")))
    biapy.serve_as("https://github.com/example-org/biapy")
    for p in (dl4mic, biapy):
        code, out, err = central.add(p)
        assert code == 0, out + err
    central.commit("partners")

    for n in range(24):
        dl4mic.write(f"notes/{n:02d}.md", f"note {n}\n")
        dl4mic.commit(f"Update notebook notes ({n})")
    dl4mic.write("collection.yaml", collection("dl4mic", notebooks("2.1.0", "CC-BY-4.0")))
    dl4mic.commit("Licence every notebook; DL4MicEverywhere 2.1.0")
    text = collection("dl4mic", notebooks("2.1.0", "CC-BY-4.0", extra=True))
    dl4mic.write("collection.yaml", text)
    dl4mic.commit("Add notebook 30; describe notebook 3")

    for n in range(61):
        if n == 40:
            biapy.write("collection.yaml", collection("biapy", app("b1", "[seg]")) + "  - id: [\n")
            biapy.commit("Add the instance segmentation workflow")
            continue
        biapy.write(f"docs/{n:02d}.md", f"page {n}\n")
        biapy.commit(f"Docs page {n}")
    return central
