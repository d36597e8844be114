"""The GitHub workflows we write (central CI and the partner scaffold's): valid workflow files
(linted offline with check-jsonschema's vendored GitHub schema), thin, and their shell steps do
what they say when run here against real repositories."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from bmz_collection.core.loading import parse
from bmz_collection.engine import scaffold, workflows

from .gitrepos import Central, git, make_central, make_partner

BIN = Path(sys.executable).parent
PROJECT = Path(__file__).resolve().parents[1]
REQUIREMENT = "bmz-collection @ git+https://github.com/bioimage-io/bmz-collection@v0.1.0"
PINS_STEP = "git submodule update --init --checkout --no-recommend-shallow --jobs 8"
"""Partner submodules are `update = none`: the workflows that read their pins fetch them."""


def all_workflows() -> dict[str, bytes]:
    partner = scaffold.render(
        scaffold.PartnerOptions(
            id="acme", name="ACME", logo="https://e.org/l.png", maintainers=("u",)
        )
    )
    return {
        **workflows.central_workflows(),
        "partner/" + workflows.PARTNER_WORKFLOW: partner[workflows.PARTNER_WORKFLOW],
    }


def load(data: bytes) -> Any:
    return parse(data.decode("utf-8"), "workflow.yml")


def steps(workflow: Mapping[str, Any]) -> list[dict[str, Any]]:
    (job,) = workflow["jobs"].values()
    result: list[dict[str, Any]] = job["steps"]
    return result


def step(workflow: Mapping[str, Any], name: str) -> dict[str, Any]:
    found = [s for s in steps(workflow) if s.get("name") == name or s.get("id") == name]
    assert len(found) == 1, f"no single step {name!r}"
    return found[0]


# -- linting ------------------------------------------------------------------------------------


def check_jsonschema() -> Path:
    exe = BIN / "check-jsonschema"
    if not exe.exists():
        pytest.skip("check-jsonschema is not installed (pip install -e '.[dev]')")
    return exe


def lint(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with its vendored schema, and with every proxy pointing at a closed
    port: any attempt to reach the network fails, so passing proves it works offline."""
    dead = "http://127.0.0.1:9"
    env = {
        **os.environ,
        "HTTP_PROXY": dead,
        "HTTPS_PROXY": dead,
        "http_proxy": dead,
        "https_proxy": dead,
        "NO_PROXY": "",
        "no_proxy": "",
    }
    return subprocess.run(
        [str(check_jsonschema()), "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def write_all(root: Path, files: Mapping[str, bytes]) -> list[Path]:
    out = []
    for rel, data in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        out.append(target)
    return out


def test_every_workflow_passes_the_github_workflow_schema_offline(tmp_path: Path) -> None:
    paths = write_all(tmp_path, all_workflows())
    assert len(paths) == 4
    res = lint(paths)
    assert res.returncode == 0, res.stdout + res.stderr


def test_the_linter_does_reject_a_broken_workflow(tmp_path: Path) -> None:
    good = workflows.central_workflows()[workflows.CHECK_WORKFLOW].decode()
    broken = good.replace("    runs-on: ubuntu-latest\n", "", 1)
    assert broken != good
    (target,) = write_all(tmp_path, {"broken.yml": broken.encode()})
    res = lint([target])
    assert res.returncode == 1
    assert "runs-on" in res.stdout + res.stderr


def test_templates_are_package_data() -> None:
    templates = PROJECT / "tools" / "bmz_collection" / "engine" / "templates"
    assert sorted(p.name for p in templates.glob("*.yml")) == [
        "bmz-check.yml",
        "bmz-pages.yml",
        "bmz-sync.yml",
        "partner-bmz.yml",
    ]
    pyproject = (PROJECT / "pyproject.toml").read_text()
    if sys.version_info >= (3, 11):
        import tomllib

        data = tomllib.loads(pyproject)["tool"]["setuptools"]["package-data"]
        assert "templates/*.yml" in data["bmz_collection.engine"]
    else:
        assert '"templates/*.yml"' in pyproject


# -- templates --------------------------------------------------------------------------------


def test_tokens_are_all_replaced_and_values_are_checked() -> None:
    for data in all_workflows().values():
        assert b"@BMZ_" not in data and b"@BRANCH@" not in data
    check = workflows.central_workflows("bmz-collection @ git+https://example.org/bmz@v1")
    assert load(check[workflows.CHECK_WORKFLOW])["env"] == {
        "BMZ_REQUIREMENT": "bmz-collection @ git+https://example.org/bmz@v1"
    }
    for bad in ('x" y', "a$b", "${{ secrets.X }}", "a\\b", "", " x", "a\nb"):
        with pytest.raises(ValueError, match="unsafe value"):
            workflows.central_workflows(bad)
    with pytest.raises(KeyError):
        workflows.template("bmz-check.yml")


def test_check_workflow_runs_the_hooks_and_the_check_on_pull_requests() -> None:
    wf = load(workflows.central_workflows()[workflows.CHECK_WORKFLOW])
    assert set(wf["on"]) == {"pull_request", "workflow_dispatch"}
    assert wf["permissions"] == {"contents": "read"}
    assert wf["env"] == {"BMZ_REQUIREMENT": REQUIREMENT}
    checkout = steps(wf)[0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert "submodules" not in checkout["with"]  # they are `update = none`: see the next step
    runs = [s["run"] for s in steps(wf) if "run" in s]
    assert runs == [
        PINS_STEP,
        'python -m pip install --disable-pip-version-check "$BMZ_REQUIREMENT" pre-commit',
        "pre-commit run --all-files --show-diff-on-failure --color=always",
        "bmz sync --no-fetch --check",
    ]


def test_sync_workflow_opens_one_pull_request_with_the_summary() -> None:
    wf = load(workflows.central_workflows()[workflows.SYNC_WORKFLOW])
    assert set(wf["on"]) == {"schedule", "workflow_dispatch"}
    assert wf["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert wf["concurrency"]["group"] == "bmz-sync"
    sync = step(wf, "sync")
    assert 'bmz sync --summary "$RUNNER_TEMP/bmz-sync.md"' in sync["run"]
    pr = step(wf, "Open or update the sync pull request")
    assert pr["uses"].startswith("peter-evans/create-pull-request@")
    assert pr["with"]["branch"] == "bmz/sync"  # one branch: the same pull request every time
    assert pr["with"]["body-path"] == "${{ runner.temp }}/bmz-sync.md"
    assert "if" not in pr  # runs after exit code 1 too
    held = step(wf, "Partners held back")
    assert held["if"] == "steps.sync.outputs.status == '1'"
    assert held["run"].rstrip().endswith("exit 1")
    order = [s.get("name") or s.get("id") or s.get("uses") for s in steps(wf)]
    assert order.index("Partners held back") == len(order) - 1


def test_partner_workflow_runs_the_hooks() -> None:
    files = scaffold.render(
        scaffold.PartnerOptions(
            id="acme", name="ACME", logo="https://e.org/l.png", maintainers=("u",), branch="dev"
        )
    )
    wf = load(files[workflows.PARTNER_WORKFLOW])
    assert wf["on"]["push"] == {"branches": ["dev"]}
    assert "pull_request" in wf["on"]
    assert steps(wf)[-1]["uses"].startswith("pre-commit/action@")


# -- the shell steps, run here ------------------------------------------------------------------


def fake_bmz(folder: Path, code: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "bmz"
    exe.write_text(
        "#!/bin/sh\n"
        'test "$1 $2" = "sync --summary" || exit 99\n'
        f'[ {code} -ge 2 ] || printf "## bmz sync\\n\\nsummary of exit {code}\\n" > "$3"\n'
        f"exit {code}\n"
    )
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return folder


def run_step(
    script: str, cwd: Path, tmp_path: Path, path_dirs: list[Path]
) -> tuple[int, dict[str, str], str]:
    """A `run:` step as GitHub runs it (`bash --noprofile --norc -eo pipefail`); the step's exit
    code, its outputs and what it added to the job summary."""
    runner = tmp_path / "runner"
    (runner / "temp").mkdir(parents=True, exist_ok=True)
    output, summary = runner / "output", runner / "summary.md"
    output.write_text("")
    summary.write_text("")
    script_file = runner / "step.sh"
    script_file.write_text(script)
    env = {
        **os.environ,
        "PATH": os.pathsep.join([*map(str, path_dirs), os.environ.get("PATH", "")]),
        "RUNNER_TEMP": str(runner / "temp"),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "BMZ_REQUIREMENT": REQUIREMENT,
    }
    res = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_file)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    return res.returncode, outputs, summary.read_text()


@pytest.mark.parametrize(("code", "step_code"), [(0, 0), (1, 0), (2, 2)])
def test_sync_step_lets_a_held_back_partner_through_but_not_a_fatal_error(
    tmp_path: Path, code: int, step_code: int
) -> None:
    wf = load(workflows.central_workflows()[workflows.SYNC_WORKFLOW])
    script = step(wf, "sync")["run"]
    got, outputs, summary = run_step(script, tmp_path, tmp_path, [fake_bmz(tmp_path / "bin", code)])
    assert got == step_code
    assert outputs == {"status": str(code)}
    if code < 2:
        assert f"summary of exit {code}" in summary
        assert (tmp_path / "runner" / "temp" / "bmz-sync.md").exists()  # the PR body
    held = step(wf, "Partners held back")
    shows = outputs["status"] == "1"  # the `if:` of the last step
    assert shows == (code == 1)
    if shows:
        assert run_step(held["run"], tmp_path, tmp_path, [])[0] == 1


def allow_local_bmz(folder: Path) -> Path:
    """`bmz` as installed, but accepting the local partner repositories of these tests."""
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "bmz"
    exe.write_text(f'#!/bin/sh\nexec "{BIN / "bmz"}" "$@" --allow-local\n')
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return folder


@pytest.fixture
def central(tmp_path: Path, capsys: pytest.CaptureFixture[str], git_env: None) -> Central:
    c = make_central(tmp_path, capsys)
    for pid in ("good", "soon-broken"):
        p = make_partner(tmp_path, pid)
        code, out, err = c.add(p)
        assert code == 0, out + err
    c.commit("two partners")
    return c


def test_check_workflow_steps_pass_on_a_central_repository(
    central: Central, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    # a fresh checkout, as the runner has it: no partner fetched (`update = none`) ...
    clone = tmp_path / "checkout"
    git(tmp_path, "clone", "--quiet", "--recursive", str(central.root), str(clone))
    assert not (clone / ".git" / "modules").exists()
    git(clone, "config", "--global", "protocol.file.allow", "always")  # local partners here
    wf = load(workflows.central_workflows()[workflows.CHECK_WORKFLOW])
    for s in steps(wf):  # ... until the step that fetches the pins; installing is done here
        if "run" in s and "pip install" not in s["run"]:
            code, _, _ = run_step(s["run"], clone, tmp_path, [BIN])
            assert code == 0, s["name"]
    assert (clone / ".git" / "modules" / "partners" / "good").is_dir()
    # a hand edit of the generated part is what the check is there for
    text = central.collection.decode().replace("good-app-0", "good-app-X")
    (clone / "collection.yaml").write_text(text)
    git(clone, "add", "collection.yaml")
    code, _, _ = run_step("bmz sync --no-fetch --check", clone, tmp_path, [BIN])
    assert code == 1


def test_sync_step_with_a_partner_held_back_still_leaves_a_pull_request_body(
    central: Central, tmp_path: Path
) -> None:
    broken = tmp_path / "remotes" / "soon-broken"
    (broken / "collection.yaml").write_text("format_version: 0.2.3\ntype: collection\n")
    git(broken, "commit", "--quiet", "-am", "oops")
    good = tmp_path / "remotes" / "good"
    (good / "collection.yaml").write_text(
        (good / "collection.yaml").read_text().replace("good-app-1", "good-app-2")
    )
    git(good, "commit", "--quiet", "-am", "rename an app")
    wf = load(workflows.central_workflows()[workflows.SYNC_WORKFLOW])
    code, outputs, summary = run_step(
        step(wf, "sync")["run"], central.root, tmp_path, [allow_local_bmz(tmp_path / "bin")]
    )
    assert code == 0
    assert outputs == {"status": "1"}
    body = (tmp_path / "runner" / "temp" / "bmz-sync.md").read_text()
    assert body == summary
    assert "soon-broken" in body and "held back" in body
    # what create-pull-request would commit (`git add -A`): the good partner's new pin and
    # the regenerated collection.yaml; nothing of the summary, which stays outside the tree
    git(central.root, "add", "-A")
    changed = git(central.root, "diff", "--cached", "--name-only").splitlines()
    assert sorted(changed) == ["collection.yaml", "partners/good"]


# -- the website: artifact of the sync pull request, GitHub Pages on the default branch ------


def test_sync_workflow_uploads_the_site_and_links_it_from_the_summary() -> None:
    wf = load(workflows.central_workflows()[workflows.SYNC_WORKFLOW])
    order = [s.get("name") or s.get("uses") for s in steps(wf)]
    build, upload, link = "bmz build", "Upload the site", "Link the site from the summary"
    pr = "Open or update the sync pull request"
    assert order.index("bmz sync") < order.index(build) < order.index(upload)
    assert order.index(upload) < order.index(link) < order.index(pr)  # the link is in the body
    assert step(wf, build)["run"] == 'bmz build --out "$RUNNER_TEMP/bmz-site"'
    up = step(wf, upload)
    assert up["uses"].startswith("actions/upload-artifact@")
    assert up["with"]["path"] == "${{ runner.temp }}/bmz-site"
    assert step(wf, link)["env"] == {"SITE_URL": "${{ steps.site.outputs.artifact-url }}"}
    assert up["id"] == "site"


def test_the_link_step_appends_to_the_pull_request_body_and_the_job_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wf = load(workflows.central_workflows()[workflows.SYNC_WORKFLOW])
    body = tmp_path / "runner" / "temp" / "bmz-sync.md"
    body.parent.mkdir(parents=True)
    body.write_text("## bmz sync\n")
    url = "https://github.com/o/c/actions/runs/1/artifacts/2"
    monkeypatch.setenv("SITE_URL", url)
    code, _, summary = run_step(
        step(wf, "Link the site from the summary")["run"], tmp_path, tmp_path, []
    )
    assert code == 0
    line = f"The website built from these pins (download, open index.html): {url}\n"
    assert body.read_text() == "## bmz sync\n\n" + line
    assert summary == "\n" + line


def test_pages_workflow_builds_and_deploys_on_the_default_branch_only() -> None:
    wf = load(workflows.central_workflows()[workflows.PAGES_WORKFLOW])
    assert set(wf["on"]) == {"push", "workflow_dispatch"}
    assert wf["permissions"] == {"contents": "read"}
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert build["if"] == "github.ref_name == github.event.repository.default_branch"
    assert "submodules" not in build["steps"][0]["with"]
    runs = [s["run"] for s in build["steps"] if "run" in s]
    assert runs == [
        PINS_STEP,
        'python -m pip install --disable-pip-version-check "$BMZ_REQUIREMENT"',
        'bmz build --out "$RUNNER_TEMP/bmz-site"',
    ]
    assert build["steps"][-1]["uses"].startswith("actions/upload-pages-artifact@")
    assert build["steps"][-1]["with"]["path"] == "${{ runner.temp }}/bmz-site"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][-1]["uses"].startswith("actions/deploy-pages@")


def test_the_build_step_writes_the_site_of_a_central_repository(
    central: Central, tmp_path: Path
) -> None:
    wf = load(workflows.central_workflows()[workflows.PAGES_WORKFLOW])
    (script,) = [s["run"] for s in wf["jobs"]["build"]["steps"] if "bmz build" in s.get("run", "")]
    code, _, _ = run_step(script, central.root, tmp_path, [BIN])
    assert code == 0
    site = tmp_path / "runner" / "temp" / "bmz-site"
    assert sorted(p.name for p in site.iterdir()) == [
        "collection.js",
        "collection.json",
        "index.html",
        "items",
        "site.css",
        "site.js",
    ]
    assert sorted(p.name for p in (site / "items").iterdir()) == ["good.js", "soon-broken.js"]
    assert central.status() == ""  # nothing written into the repository
