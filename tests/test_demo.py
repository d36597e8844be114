"""`make demo` keeps working: it is the first thing a newcomer runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_demo_runs_end_to_end(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "bmz_collection.cli.demo"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "Added partner viewers" in out
    assert "partners/cellscope: " in out
    assert "tissue-atlas` held back" in out
    assert "[entry-id-duplicate]" in out
    assert "partners/cellscope |  2 +-" in out
    assert "Traceback" not in out + proc.stderr
    central = tmp_path / "bmz-demo" / "central"
    assert (central / "collection.yaml").is_file()
    site = tmp_path / "bmz-demo" / "site"
    assert out.rstrip().splitlines()[-1] == f"Site: {site}"
    assert f"{(site / 'index.html').as_uri()}#/?partner=cellscope" in out
    assert (site / "collection.json").is_file() and (site / "index.html").is_file()


def test_project_hooks_cover_the_same_names_as_the_published_ones() -> None:
    from ruamel.yaml import YAML

    from bmz_collection.core.rdfnames import RDF_FILES_REGEX

    root = Path(__file__).resolve().parents[1]
    config = YAML(typ="safe").load((root / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"]: h for h in config["repos"][0]["hooks"]}
    assert set(hooks) == {"bmz-check-collection", "bmz-validate", "bmz-format"}
    names = RDF_FILES_REGEX.removeprefix("(^|/)").removesuffix("$")
    for hook in ("bmz-validate", "bmz-format"):  # the catalogue's file, and the examples
        assert hooks[hook]["files"] == "^(collection\\.yaml|examples/(.*/)?" + names + ")$"
