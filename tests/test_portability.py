"""The hooks' code paths (``bmz validate``, ``bmz format`` and their pre-commit entry points)
run on partner maintainers' Windows and macOS machines. Those systems cannot run here, so each
hook runs in a process where the POSIX-only calls are gone as on Windows: no
``os.O_NONBLOCK``, no ``fcntl``, no process groups, no ``fork``, and ``os.kill`` fails (on
Windows ``os.kill(pid, 0)`` terminates the process it probes). The project's own workflow
(.github/workflows/tests.yml) runs the tests on the real systems."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .gitrepos import collection_yaml, entry

WINDOWS_LIKE = textwrap.dedent(
    """
    import os, sys, multiprocessing
    for name in ("O_NONBLOCK", "killpg", "getpgid", "setsid", "fork", "mkfifo", "getuid"):
        if hasattr(os, name):
            delattr(os, name)
    def kill(*args):
        raise AssertionError("os.kill called on a hook's code path")
    os.kill = kill
    sys.modules["fcntl"] = None  # `import fcntl` raises ImportError, as on Windows
    multiprocessing.get_all_start_methods = lambda: ["spawn"]
    hook, *argv = sys.argv[1:]
    if hook == "validate":
        from bmz_collection_hooks.validate import main
    else:
        from bmz_collection_hooks.format import main
    raise SystemExit(main(argv))
    """
)


def run_hook(hook: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WINDOWS_LIKE, hook, *argv],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def partner(tmp_path: Path) -> Path:
    root = tmp_path / "partner"
    (root / ".git").mkdir(parents=True)  # a repository root, as the hooks find it
    (root / "rdf" / "tool").mkdir(parents=True)
    (root / "rdf" / "tool" / "rdf.yaml").write_text(
        "format_version: 0.2.3\ntype: application\nname: Tool\n"
        "description: A tool.\nsource: https://example.org/tool\n",
        encoding="utf-8",
    )
    text = collection_yaml("p", [entry("p-app"), {"id": "tool", "rdf_source": "rdf/tool/rdf.yaml"}])
    (root / "collection.yaml").write_text(text, encoding="utf-8")
    return root


def test_validate_hook_runs_without_posix_only_calls(partner: Path) -> None:
    done = run_hook("validate", str(partner / "collection.yaml"), str(partner / "rdf"))
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stdout + done.stderr


def test_format_hook_runs_without_posix_only_calls(partner: Path) -> None:
    target = partner / "collection.yaml"
    done = run_hook("format", str(target), str(partner / "rdf" / "tool" / "rdf.yaml"))
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 1: it reformatted a file
    again = run_hook("format", str(target))
    assert (again.returncode, again.stderr) == (0, "")


def test_the_workflow_runs_the_tests_on_three_systems() -> None:
    from ruamel.yaml import YAML

    workflow = Path(__file__).resolve().parents[1] / ".github" / "workflows" / "tests.yml"
    data = YAML(typ="safe").load(workflow.read_text(encoding="utf-8"))
    job = data["jobs"]["tests"]
    assert set(job["strategy"]["matrix"]["os"]) == {
        "ubuntu-latest",
        "macos-latest",
        "windows-latest",
    }
    assert job["strategy"]["matrix"]["python"] == ["3.11"]
