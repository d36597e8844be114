"""``make demo``: the whole job on the bundled example partners, in under a minute.

It builds three partner repositories from ``examples/partners/``, a central repository that
aggregates them, syncs; then one partner adds and edits a resource while another pushes a
broken commit, and a second sync shows what a reviewer sees: the summary and the diff; last,
``bmz build`` writes the website (feed and partner pages) and the demo prints its path.
Everything happens in ``$TMPDIR/bmz-demo`` (recreated each run; outside this checkout, since a
central repository cannot live inside another repository), with an isolated git identity.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[3]
OUT = Path(tempfile.gettempdir()) / "bmz-demo"
EXAMPLES = PROJECT / "examples" / "partners"
STEP = "\n\033[1m== {} ==\033[0m" if sys.stdout.isatty() else "\n== {} =="


def _git(cwd: Path, *args: str) -> str:
    res = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"demo: git {' '.join(args)} failed in {cwd}: {res.stderr.strip()}")
    return res.stdout


def _bmz(*argv: str, expect: int = 0) -> None:
    from bmz_collection.cli.main import main

    shown = [a.replace(str(OUT) + "/", "") for a in argv]
    print("$ bmz " + " ".join(shown), flush=True)
    code = main(list(argv))
    sys.stdout.flush()
    sys.stderr.flush()
    print(f"(exit {code})", flush=True)
    if code != expect:
        raise SystemExit(f"demo: expected exit {expect} from bmz {argv[0]}, got {code}")


def _isolated_git(home: Path) -> None:
    """The demo must not read or change the user's git configuration."""
    config = home / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n")
    os.environ.update(
        GIT_CONFIG_GLOBAL=str(config),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Demo Partner",
        GIT_AUTHOR_EMAIL="partner@example.org",
        GIT_COMMITTER_NAME="Demo Partner",
        GIT_COMMITTER_EMAIL="partner@example.org",
    )
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        os.environ.pop(key, None)


def _partner_repo(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    _git(dest, "init", "--quiet")
    _git(dest, "add", "-A")
    _git(dest, "commit", "--quiet", "-m", f"{src.name}: first collection")
    return dest


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"demo: {path} no longer contains {old!r}; update demo.py")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


NEW_RESOURCE = """
  - id: membrane-unet
    type: application
    name: Membrane U-Net napari plugin
    description: Run the CellScope membrane U-Net from napari.
    source: https://example.org/cellscope/napari-membrane-unet
    tags: [membrane, napari]
"""


def main() -> int:
    out = OUT
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    with tempfile.TemporaryDirectory(prefix="bmz-demo-git-") as home:
        _isolated_git(Path(home))
        print(STEP.format("1. Three partner repositories, made from examples/partners/"))
        partners = {
            src.name: _partner_repo(src, out / "partner-repos" / src.name)
            for src in sorted(EXAMPLES.iterdir())
            if src.is_dir()
        }
        for pid, repo in partners.items():
            print(f"  {pid:14} {repo}")

        print(STEP.format("2. A central repository; each partner added as a submodule"))
        central = out / "central"
        _bmz("init", str(central), "--id", "demo", "--name", "Demo Catalogue")
        files = {"viewers": "manifest.bioimage.io.yaml"}
        for pid, repo in partners.items():
            _bmz(
                "partner", "add", pid, str(repo), "--allow-local", "--repo", str(central),
                "--collection-file", files.get(pid, "collection.yaml"),
            )  # fmt: skip
        _bmz("sync", "--allow-local", "--repo", str(central))
        _git(central, "commit", "--quiet", "-m", "Add three partners")
        print(_git(central, "log", "--oneline", "-1").strip())

        print(STEP.format("3. Partners push: cellscope adds and edits, tissue-atlas breaks"))
        cellscope = partners["cellscope"] / "collection.yaml"
        _edit(cellscope, "Forty light-sheet volumes", "Sixty light-sheet volumes")
        cellscope.write_text(cellscope.read_text(encoding="utf-8") + NEW_RESOURCE, "utf-8")
        _git(partners["cellscope"], "commit", "--quiet", "-am", "Add membrane plugin; 60 volumes")
        print("  cellscope:    + membrane-unet, ~ lightsheet-nuclei (description)")
        atlas = partners["tissue-atlas"] / "collection.yaml"
        _edit(atlas, "- id: he-sections", "- id: unet-training-notebook")  # a duplicate id
        _git(partners["tissue-atlas"], "commit", "--quiet", "-am", "Rename the dataset")
        print("  tissue-atlas: a duplicate id (the new commit is invalid)")

        print(STEP.format("4. Sync: valid commits advance, the broken one is held back"))
        summary = out / "summary.md"
        _bmz("sync", "--allow-local", "--repo", str(central), "--summary", str(summary), expect=1)

        print(STEP.format("5. What the reviewer reads: the summary (the PR body)"))
        print(summary.read_text(encoding="utf-8"))
        print(STEP.format("6. And the diff: pins and only the changed resources' lines"))
        print("$ git diff --cached --stat")
        print(_git(central, "diff", "--cached", "--stat"))
        print(STEP.format("7. The website: the feed and each partner's page, from the pins"))
        site = out / "site"
        _bmz("build", "--repo", str(central), "--out", str(site))
        page = (site / "index.html").as_uri()
        print(f"Look around: {central}/collection.yaml, `git -C {central} diff --cached`,")
        print(f"the summary in {summary}, and the website (open in a browser):")
        print(f"  {page}#/?partner=cellscope")
        print(f"Site: {site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
