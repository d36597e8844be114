"""`bmz partner init`: a new partner repository that validates, is formatted, never replaces
a file, and asks for what is missing only on a terminal."""

from __future__ import annotations

import argparse
import builtins
import contextlib
import importlib
import io
import os
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import bmz_collection
from bmz_collection.cli import partner_init
from bmz_collection.cli.partner_init import add_init_parser, run_init
from bmz_collection.cli.validate import validate_paths
from bmz_collection.core.errors import FatalError, UsageError
from bmz_collection.core.loading import parse
from bmz_collection.engine import scaffold

from .gitrepos import entry, git, ids, make_central

pytestmark = pytest.mark.usefixtures("git_env")

PROJECT = Path(__file__).resolve().parents[1]
REQUIRED = ["--id", "acme-lab", "--name", "ACME Lab", "--logo", "https://example.org/acme/logo.png"]
FULL = [*REQUIRED, "--maintainer", "ada-l", "--no-input"]


def init_parser() -> argparse.ArgumentParser:
    """`bmz partner` with only the `init` action, as the partner command module wires it."""
    parser = argparse.ArgumentParser(prog="bmz partner")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    add_init_parser(actions)
    return parser


def init(*argv: str) -> int:
    """`bmz partner init ARGV` in this process, with the CLI's handling of FatalError."""
    args = init_parser().parse_args(["init", *argv])
    try:
        return run_init(args)
    except FatalError as exc:
        print(f"bmz partner init: error: {exc}", file=sys.stderr)
        return 2


def wired() -> bool:
    """Whether `bmz partner init` is reachable through the `bmz` CLI yet (the lead wires it)."""
    from bmz_collection.cli.main import build_parser

    parser, _ = build_parser()
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            parser.parse_args(["partner", "init", "x", "--id", "x", "--no-input"])
    except SystemExit:
        return False
    return True


def command() -> list[str]:
    if wired():
        return [sys.executable, "-m", "bmz_collection", "partner", "init"]
    return [sys.executable, "-m", "bmz_collection.cli.partner_init"]


def listing(root: Path) -> list[str]:
    if not root.exists():
        return []
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if ".git" not in p.relative_to(root).parts
    )


def formatting() -> Any:
    try:
        return importlib.import_module("bmz_collection.core.formatting")
    except ModuleNotFoundError:
        pytest.skip("bmz_collection.core.formatting is missing: the formatter lands separately")


# -- the files --------------------------------------------------------------------------------


TRICKY = scaffold.PartnerOptions(
    id="x_1",
    name='Ada\'s lab: "segmentation" #1',
    logo="static/img/partners/x.png",
    maintainers=("Ada-L", "@bob"),
    description="yes",
    splash_title="1.0",
    splash_subtitle="- not a list",
    features=("Fast: very", "null", "Fernández 🔬", "[brackets]", "a #tag"),
    tags=("on", "3e5", "x_1"),
    resource_types=("dataset", "model", "dataset"),
    branch="release/v1",
)


@pytest.mark.parametrize(
    "options",
    [
        scaffold.PartnerOptions(
            id="acme-lab", name="ACME Lab", logo="https://e.org/l.png", maintainers=("ada",)
        ),
        TRICKY,
    ],
    ids=["defaults", "tricky-values"],
)
def test_the_collection_says_what_was_asked_and_validates(
    options: scaffold.PartnerOptions,
) -> None:
    files = scaffold.render(options)
    assert sorted(files) == sorted(scaffold.PATHS)
    assert scaffold.check_rendered(files) == []
    data = parse(files[scaffold.COLLECTION_FILE].decode(), "collection.yaml")
    o = scaffold.complete(options)
    assert data["format_version"] == "0.2.3"
    assert data["type"] == "collection"
    assert data["name"] == o.name
    assert data["description"] == o.description
    assert data["collection"] == []
    assert data["maintainers"] == [{"github_user": u} for u in o.maintainers]
    assert [a["github_user"] for a in data["authors"]] == list(o.maintainers)
    assert data["config"] == {
        "id": o.id,
        "name": o.name,
        "logo": o.logo,
        "icon": o.icon,
        "splash_title": o.splash_title,
        "splash_subtitle": o.splash_subtitle,
        "splash_feature_list": list(o.features),
        "explore_button_text": "Start Exploring",
        "background_image": "static/img/zoo-background.svg",
        "resource_types": list(o.resource_types),
        "default_type": o.resource_types[0],
        "tags": list(o.tags),
    }


def test_tricky_values_are_kept_as_strings() -> None:
    o = scaffold.complete(TRICKY)
    assert o.maintainers == ("Ada-L", "bob")
    assert o.resource_types == ("dataset", "model")
    data = parse(scaffold.render(TRICKY)[scaffold.COLLECTION_FILE].decode(), "collection.yaml")
    assert data["description"] == "yes"
    assert data["config"]["splash_title"] == "1.0"
    assert data["config"]["tags"] == ["on", "3e5", "x_1"]
    assert data["config"]["splash_feature_list"][1] == "null"


def test_defaults() -> None:
    o = scaffold.complete(
        scaffold.PartnerOptions(
            id="acme", name="ACME", logo="https://e.org/l.png", maintainers=("a",)
        )
    )
    assert o.icon == o.logo
    assert o.splash_title == "ACME"
    assert o.splash_subtitle == o.description
    assert o.tags == ("acme",)
    assert o.resource_types == ("model",)
    assert o.hooks_rev == f"v{bmz_collection.__version__}" == "v0.1.0"
    assert set(o.defaults) == {
        "description",
        "icon",
        "splash_title",
        "splash_subtitle",
        "tags",
        "resource_types",
    }


def test_the_collection_is_in_canonical_style() -> None:
    fmt = formatting()
    for options in (
        TRICKY,
        scaffold.PartnerOptions(id="a", name="A", logo="https://e.org/l.png", maintainers=("u",)),
    ):
        text = scaffold.render(options)[scaffold.COLLECTION_FILE].decode()
        assert fmt.format_text(text, file="collection.yaml") == text
        assert "\n  resource_types:\n    - " in text  # sequences indented under their key


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id", "Acme", "invalid partner id"),
        ("id", "-acme", "invalid partner id"),
        ("id", "a" * 65, "invalid partner id"),
        ("name", "  ", "--name must not be empty"),
        ("name", "two\nlines", "one line"),
        ("logo", "https://e.org/my logo.png", "--logo"),
        ("maintainers", ("not a user",), "GitHub user"),
        ("maintainers", ("a--b",), "GitHub user"),
        ("maintainers", (), "at least one --maintainer"),
        ("resource_types", ("widget",), "unknown resource type"),
        ("branch", "-x", "branch"),
        ("branch", 'a"b', "branch"),
    ],
)
def test_bad_options_are_usage_errors(field: str, value: Any, message: str) -> None:
    base: dict[str, Any] = {
        "id": "acme",
        "name": "ACME",
        "logo": "https://e.org/l.png",
        "maintainers": ("ada",),
    }
    base[field] = value
    with pytest.raises(UsageError, match=message):
        scaffold.render(scaffold.PartnerOptions(**base))


def test_pre_commit_config_pins_this_release_of_our_hooks() -> None:
    files = scaffold.render(
        scaffold.PartnerOptions(id="a", name="A", logo="https://e.org/l.png", maintainers=("u",))
    )
    config = parse(files[scaffold.PRE_COMMIT_CONFIG].decode(), ".pre-commit-config.yaml")
    assert config == {
        "repos": [
            {
                "repo": scaffold.BMZ_REPO_URL,
                "rev": "v0.1.0",
                "hooks": [{"id": "bmz-validate"}, {"id": "bmz-format"}],
            }
        ]
    }


def test_scaffold_hook_ids_are_hooks_this_project_publishes() -> None:
    hooks_file = PROJECT / ".pre-commit-hooks.yaml"
    if not hooks_file.exists():
        pytest.skip(".pre-commit-hooks.yaml does not exist yet")
    published = {h["id"] for h in parse(hooks_file.read_text(), ".pre-commit-hooks.yaml")}
    files = scaffold.render(
        scaffold.PartnerOptions(id="a", name="A", logo="https://e.org/l.png", maintainers=("u",))
    )
    config = parse(files[scaffold.PRE_COMMIT_CONFIG].decode(), ".pre-commit-config.yaml")
    used = {h["id"] for repo in config["repos"] for h in repo["hooks"]}
    assert used == set(scaffold.HOOK_IDS)
    assert used <= published, f"not in .pre-commit-hooks.yaml: {sorted(used - published)}"


def test_readme_has_the_steps_to_join() -> None:
    files = scaffold.render(
        scaffold.PartnerOptions(
            id="acme", name="ACME", logo="https://e.org/l.png", maintainers=("u",), branch="dev"
        )
    )
    readme = files[scaffold.README].decode()
    for needle in (
        "own model repository",
        "logo and predefined tags",
        "custom splash screen",
        "https://bioimage.io/#/?partner=acme",
        "reviewing contributed resources",
        "up to date with the latest spec",
        "pre-commit install",
        "bmz partner add acme https://github.com/ORG/REPO --branch dev "
        "--collection-file collection.yaml",
        "acme/<entry id>",
    ):
        assert needle in readme


def test_command_resource_types_match_the_library() -> None:
    assert partner_init.RESOURCE_TYPES == scaffold.RESOURCE_TYPES


# -- the command, in this process -------------------------------------------------------------


def test_init_creates_a_repository_with_staged_files(tmp_path: Path) -> None:
    target = tmp_path / "acme"
    assert init(str(target), *FULL, "--feature", "Nuclei", "--tag", "acme", "--tag", "nuclei") == 0
    assert listing(target) == sorted([".github", ".github/workflows", *scaffold.PATHS])
    assert git(target, "rev-parse", "--show-toplevel") == str(target)
    assert git(target, "branch", "--show-current") == "main"
    assert git(target, "rev-parse", "--verify", "--quiet", "HEAD", check=False) == ""  # no commit
    staged = git(target, "diff", "--cached", "--name-only").splitlines()
    assert sorted(staged) == sorted(scaffold.PATHS)
    assert validate_paths([target], fmt="text", strict=True, out=io.StringIO(), err=None) == 0


def test_init_output_names_the_files_and_the_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(str(tmp_path / "p"), *FULL) == 0
    out = capsys.readouterr().out
    for path in scaffold.PATHS:
        assert f"  {path}\n" in out
    assert "Defaults used for: description, icon" in out


def test_init_in_an_existing_repository_commits_nothing(tmp_path: Path) -> None:
    target = tmp_path / "existing"
    target.mkdir()
    git(target, "init", "--quiet", "-b", "trunk")
    (target / "models").mkdir()
    (target / "models" / "notes.txt").write_text("kept\n")
    git(target, "add", "-A")
    git(target, "commit", "--quiet", "-m", "before")
    head = git(target, "rev-parse", "HEAD")
    assert init(str(target), *FULL, "--branch", "trunk") == 0
    assert git(target, "rev-parse", "HEAD") == head
    assert (target / "models" / "notes.txt").read_text() == "kept\n"
    assert "trunk" in (target / ".github/workflows/bmz.yml").read_text()


def test_init_refuses_a_folder_inside_another_repository(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    outer.mkdir()
    git(outer, "init", "--quiet")
    with pytest.raises(FatalError, match="inside the git repository"):
        run_init(init_parser().parse_args(["init", str(outer / "sub"), *FULL]))
    assert listing(outer) == []


def test_init_never_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "acme"
    target.mkdir()
    (target / "README.md").write_text("ours\n")
    with pytest.raises(FatalError, match=r"README\.md already exists"):
        run_init(init_parser().parse_args(["init", str(target), *FULL]))
    assert listing(target) == ["README.md"]
    assert (target / "README.md").read_text() == "ours\n"
    assert not (target / ".git").exists()


def test_init_twice_refuses_the_second_time(tmp_path: Path) -> None:
    target = tmp_path / "acme"
    assert init(str(target), *FULL) == 0
    before = {p: (target / p).read_bytes() for p in scaffold.PATHS}
    assert init(str(target), *FULL, "--name", "Other") == 2
    assert {p: (target / p).read_bytes() for p in scaffold.PATHS} == before


def test_write_refuses_and_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = scaffold.render(
        scaffold.PartnerOptions(id="a", name="A", logo="https://e.org/l.png", maintainers=("u",))
    )
    (tmp_path / "collection.yaml").write_text("mine\n")
    with pytest.raises(FatalError, match="already exists"):
        scaffold.write(tmp_path, files)
    assert listing(tmp_path) == ["collection.yaml"]

    (tmp_path / "collection.yaml").unlink()
    from bmz_collection.io import fsio

    real = fsio.atomic_write
    calls: list[Path] = []

    def failing(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == len(files):
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(fsio, "atomic_write", failing)
    with pytest.raises(OSError, match="No space"):
        scaffold.write(tmp_path, files)
    assert listing(tmp_path) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["--id", "Not_Valid", *FULL[2:]],
        ["--id=-x", "--no-input"],
        ["--id", "bad id", "--no-input"],
    ],
    ids=["upper-case", "leading-dash", "space"],
)
def test_bad_id_is_exit_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    target = tmp_path / "p"
    assert init(str(target), *argv) == 2
    assert "invalid partner id" in capsys.readouterr().err
    assert not target.exists()


def test_missing_values_without_a_terminal_are_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "p"
    with pytest.raises(UsageError, match=r"missing --name, --logo, --maintainer .*--no-input"):
        run_init(init_parser().parse_args(["init", str(target), "--id", "p", "--no-input"]))
    monkeypatch.setattr(sys, "stdin", io.StringIO("answers nobody reads\n"))
    with pytest.raises(UsageError, match="stdin is not a terminal"):
        run_init(init_parser().parse_args(["init", str(target), *REQUIRED]))
    assert not target.exists()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_prompts_for_missing_values_until_they_are_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(
        [
            "Bad Id",
            "acme",
            "",
            "ACME Lab",
            "https://e.org/my logo.png",
            "https://e.org/l.png",
            "ada-l, not@ok",
            "ada-l bob",
        ]
    )
    prompts: list[str] = []

    def fake_input(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr(builtins, "input", fake_input)
    target = tmp_path / "acme"
    assert run_init(init_parser().parse_args(["init", str(target)])) == 0
    assert [p.split(" ")[0] for p in prompts] == [
        "Partner",
        "Partner",
        "Partner",
        "Partner",
        "Logo",
        "Logo",
        "GitHub",
        "GitHub",
    ]
    err = capsys.readouterr().err
    assert "invalid partner id 'Bad Id'" in err
    assert "a value is needed" in err
    assert "--logo must be a URL or a path on the website" in err
    assert "invalid GitHub user name 'not@ok'" in err
    data = parse((target / "collection.yaml").read_text(), "collection.yaml")
    assert data["config"]["id"] == "acme"
    assert data["name"] == "ACME Lab"
    assert data["maintainers"] == [{"github_user": "ada-l"}, {"github_user": "bob"}]


def test_end_of_input_while_prompting_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def eof(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr(builtins, "input", eof)
    with pytest.raises(UsageError, match="no answer for --name"):
        run_init(init_parser().parse_args(["init", str(tmp_path / "p"), "--id", "p"]))
    assert not (tmp_path / "p").exists()


def test_the_cli_validates_and_format_checks_the_scaffold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bmz_collection.cli.main import main as bmz

    target = tmp_path / "acme"
    assert init(str(target), *FULL) == 0
    capsys.readouterr()
    assert bmz(["validate", "--strict", str(target)]) == 0, capsys.readouterr()
    formatting()
    from bmz_collection.cli.main import build_parser

    if "format" not in build_parser()[1]:
        pytest.skip("`bmz format` is not wired into the CLI yet")
    assert bmz(["format", "--check", str(target)]) == 0, capsys.readouterr()


# -- as a user runs it --------------------------------------------------------------------------


def run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command(), *argv],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )


def test_subprocess_no_input_and_bad_id(tmp_path: Path) -> None:
    ok = run(["acme", *FULL], tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "acme" / "collection.yaml").is_file()
    bad = run(["other", "--id", "Other", "--no-input"], tmp_path)
    assert bad.returncode == 2
    assert "invalid partner id 'Other'" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert not (tmp_path / "other").exists()
    missing = run(["third", "--id", "third"], tmp_path)  # stdin is /dev/null: no prompts
    assert missing.returncode == 2
    assert "stdin is not a terminal" in missing.stderr
    assert not (tmp_path / "third").exists()


class Dialog:
    """A child process on a pseudo-terminal: wait for text, type answers."""

    def __init__(self, argv: list[str], cwd: Path) -> None:
        self.master, slave = os.openpty()
        self.proc = subprocess.Popen(
            argv, cwd=cwd, stdin=slave, stdout=slave, stderr=slave, close_fds=True
        )
        os.close(slave)
        self.seen = ""

    def expect(self, text: str) -> None:
        while text not in self.seen:
            ready, _, _ = select.select([self.master], [], [], 60)
            if not ready:
                raise AssertionError(f"no {text!r} on the terminal; saw {self.seen!r}")
            try:
                chunk = os.read(self.master, 4096)
            except OSError:  # EIO: the child closed the terminal
                chunk = b""
            if not chunk:
                raise AssertionError(f"no {text!r} before the end; saw {self.seen!r}")
            self.seen += chunk.decode("utf-8", "replace")
        self.seen = self.seen[self.seen.index(text) + len(text) :]

    def send(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\n")

    def finish(self) -> int:
        try:
            while True:
                ready, _, _ = select.select([self.master], [], [], 60)
                if not ready:
                    break
                try:
                    if not os.read(self.master, 4096):
                        break
                except OSError:
                    break
            return self.proc.wait(timeout=60)
        finally:
            os.close(self.master)


@pytest.fixture
def dialog(tmp_path: Path) -> Iterator[list[Dialog]]:
    started: list[Dialog] = []
    yield started
    for d in started:
        if d.proc.poll() is None:
            d.proc.kill()
            d.proc.wait()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_prompts_on_a_real_terminal(tmp_path: Path, dialog: list[Dialog]) -> None:
    d = Dialog([*command(), "acme", "--splash-title", "Welcome"], tmp_path)
    dialog.append(d)
    d.expect("Partner id")
    d.send("ACME")
    d.expect("invalid partner id")
    d.expect("Partner id")
    d.send("acme")
    d.expect("Partner name")
    d.send("ACME Lab")
    d.expect("Logo")
    d.send("https://example.org/acme/logo.png")
    d.expect("GitHub user names")
    d.send("ada-l")
    d.expect("Created the partner repository 'acme'")
    assert d.finish() == 0
    data = parse((tmp_path / "acme" / "collection.yaml").read_text(), "collection.yaml")
    assert data["config"]["splash_title"] == "Welcome"
    assert data["config"]["logo"] == "https://example.org/acme/logo.png"


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_no_input_never_prompts_on_a_terminal(tmp_path: Path, dialog: list[Dialog]) -> None:
    d = Dialog([*command(), "acme", "--id", "acme", "--no-input"], tmp_path)
    dialog.append(d)
    d.expect("missing --name, --logo, --maintainer")
    assert d.finish() == 2
    assert not (tmp_path / "acme").exists()


def test_wired_into_bmz_partner(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not wired():
        pytest.skip("`bmz partner init` is not wired into the `partner` command yet (the lead)")
    from bmz_collection.cli.main import main as bmz

    assert bmz(["partner", "init", str(tmp_path / "acme"), *FULL]) == 0
    assert bmz(["partner", "init", str(tmp_path / "bad"), "--id", "Bad", "--no-input"]) == 2
    assert "bmz partner: error: invalid partner id" in capsys.readouterr().err
    assert not (tmp_path / "bad").exists()


# -- joining the catalogue ------------------------------------------------------------------------


def test_a_scaffolded_partner_joins_a_central_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    partner = tmp_path / "remotes" / "acme"
    assert init(str(partner), "--id", "acme", *FULL[2:]) == 0
    git(partner, "commit", "--quiet", "-m", "scaffold")
    central = make_central(tmp_path, capsys)
    code, out, err = central.bmz(
        "partner",
        "add",
        "acme",
        str(partner),
        "--allow-local",
        "--repo",
        str(central.root),
        "--branch",
        "main",
        "--collection-file",
        scaffold.COLLECTION_FILE,
    )
    assert code == 0, out + err
    central.commit("add acme")

    text = (partner / "collection.yaml").read_text()
    block = "".join(
        f"  - id: {e['id']}\n    type: application\n    name: {e['name']}\n"
        f"    description: {e['description']}\n    source: {e['source']}\n"
        for e in [entry("viewer")]
    )
    (partner / "collection.yaml").write_text(
        text.replace("collection: []\n", "collection:\n" + block)
    )
    git(partner, "commit", "--quiet", "-am", "add the viewer")
    code, out, err = central.sync()
    assert code == 0, out + err
    assert ids(central.collection) == ["acme/viewer"]


def test_the_scaffold_is_at_the_newest_collection_format() -> None:
    from bmz_collection.core import jsonschemas
    from bmz_collection.engine import scaffold

    assert jsonschemas.newest(jsonschemas.COLLECTION) == scaffold.FORMAT_VERSION
