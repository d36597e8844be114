"""The change scenario behind the summary golden files (tests/fixtures/summary/): fixed
identities and dates and partner files written literally, so commit hashes are stable. The
``scenario`` fixture of conftest.py builds it; test_summary and test_diff read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .gitrepos import Central, PartnerRepo, git, make_central

GITHUB = "https://github.com/example-org/alpha-models"


def app(eid: str, description: str, tags: str = "[demo]") -> str:
    return (
        f"  - id: {eid}\n"
        "    type: application\n"
        f"    name: App {eid}\n"
        f"    description: {description}\n"
        f"    source: https://example.org/{eid}.html\n"
        f"    tags: {tags}\n"
    )


def collection(pid: str, entries: str, maintainers: str = "") -> str:
    return (
        "format_version: 0.2.3\n"
        "type: collection\n"
        f"name: {pid} collection\n"
        f"description: Resources of {pid}.\n"
        f"authors: [{{name: {pid} team}}]\n"
        f"{maintainers}"
        "config:\n"
        f"  id: {pid}\n"
        f"  logo: https://example.org/{pid}/logo.png\n"
        f"  splash_title: The {pid} partner\n"
        "collection:\n" + entries
    )


def partner(root: Path, pid: str, text: str) -> PartnerRepo:
    path = root / "remotes" / pid
    path.mkdir(parents=True)
    git(path, "init", "--quiet", "-b", "main")
    p = PartnerRepo(path, pid)
    p.write("collection.yaml", text)
    p.commit("Initial collection")
    return p


ADA = "maintainers:\n  - {name: Ada, github_user: ada-lovelace}\n"
MORE = ADA + "  - {name: Grace, github_user: Grace-Hopper}\n  - {name: Tim, github_user: None}\n"


def build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Central:
    """Four partners (alpha on GitHub) added and committed, then: alpha edits a resource and
    adds one in two commits (and a maintainer), beta breaks, gamma is force-pushed without one
    of its resources, delta stays."""
    central = make_central(tmp_path, capsys)
    alpha = partner(
        tmp_path, "alpha", collection("alpha", app("one", "First.") + app("two", "Second."), ADA)
    )
    alpha.serve_as(GITHUB)
    beta = partner(tmp_path, "beta", collection("beta", app("b1", "Beta one.")))
    beta.serve_as("https://github.com/example-org/beta.git")
    gamma = partner(tmp_path, "gamma", collection("gamma", app("g1", "G1.") + app("g2", "G2.")))
    delta = partner(tmp_path, "delta", collection("delta", app("d1", "D1.")))
    for p in (alpha, beta, gamma, delta):
        code, out, err = central.add(p)
        assert code == 0, out + err
    central.commit("partners")

    alpha.write(
        "collection.yaml",
        collection(
            "alpha", app("one", "First, better.", "[demo, new]") + app("two", "Second."), ADA
        ),
    )
    alpha.commit("Describe `one` better; thanks @someone (#12)")
    alpha.write(
        "collection.yaml",
        collection(
            "alpha",
            app("one", "First, better.", "[demo, new]")
            + app("two", "Second.")
            + app("three", "Third."),
            MORE,
        ),
    )
    alpha.commit("Add three")
    beta.write(
        "collection.yaml", collection("beta", app("b1", "Beta one.")) + "  - id: [unclosed\n"
    )
    beta.commit("Break it")
    gamma.write("collection.yaml", collection("gamma", app("g1", "G1.")))
    gamma.rewrite_history("Rewrite history")
    return central
