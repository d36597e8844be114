"""The hostile-input corpus: what a partner (or a pull request to the central repository) can
throw at the catalogue, and what each tool must do with it.

Each row is one case, built by ``tests/test_hostile.py`` into real git repositories:

* a **partner** case is the next commit of the partner ``hostile``: its ``files`` are written
  over the partner's valid base commit (``BASE``), optionally after a ``setup`` step; ``bmz
  validate`` and ``bmz format`` are run on the partner's working tree (``target``), ``bmz sync``
  on a central repository that has ``hostile`` (and the well-behaved ``beta``) pinned at the
  base commit;
* a **central** case edits the central repository (its registry in ``collection.yaml`` or its
  ``.gitmodules``); ``bmz validate`` and ``bmz format`` are run on that ``collection.yaml``.

The expectation per tool is an ``Expect``: the exit code, the rule the output must name (as
``[rule]``, or a message fragment for fatal errors that have no rule), and the line of the
file named (``file:line:``) where there is one. ``None`` means the tool does not apply (the
reason is in ``why``). Whatever the expectation, every run must finish within its timeout,
never print a traceback, never run partner content (the trap files below), and leave every
file, the index and ``git status`` as they were, except for what an accepted case lets a
tool change: ``FIXED`` (format rewrote the file into canonical form) and ``ADOPTED`` (sync
took the new head: new pin, regenerated ``collection.yaml``, both staged).

Accepted on purpose (exit 0), because they are merely dubious and real files have them: a
byte order mark, CRLF or CR line endings and tabs between tokens (``bmz format`` normalises
them), ids with spaces, capitals or non-ASCII letters (the ``id-format`` warning: real
partners use ``Notebook Preview`` and ``QuPath``), a ``...`` document end, merge keys and
``!!omap`` (plain YAML 1.2 mappings), a partner ``config.id`` naming another partner (sync
publishes under the registry id whatever the partner claims).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bmz_collection.core.limits import MAX_BLOB, MAX_BYTES


@dataclass(frozen=True)
class Link:
    """A symlink committed in the partner repository."""

    target: str


Content = str | bytes | Link | Callable[[], bytes]
"""A file's text (placeholders filled in by ``fill``), its bytes, a symlink, or a function
making (large) bytes."""


def fill(text: str, root: Path) -> str:
    """``{outside}``: the folder holding the partner repository (files outside it exist there);
    ``{markers}``: where a trap would leave its marker; ``{remote}``: the partner's repository;
    ``{root}``: the whole test world."""
    return (
        text.replace("{outside}", str(root / "remotes"))
        .replace("{markers}", str(root / "markers"))
        .replace("{remote}", str(root / "remotes" / "hostile"))
        .replace("{root}", str(root))
    )


@dataclass(frozen=True)
class Expect:
    code: int
    rule: str | None = None
    """Named in the output as ``[rule]``."""
    says: str | None = None
    """A fragment of the message, for errors that have no rule (fatal errors, fetch refusals)."""
    line: int | None = None
    """The output names ``file:line:``."""
    file: str | None = None
    """The file named, relative to the partner repository (default: the case's target)."""
    changed: bool = False
    """format: the file was rewritten (exit 1, a fixer); sync: the new head was adopted."""


def E(
    code: int, rule: str | None = None, line: int | None = None, *, file: str | None = None
) -> Expect:
    return Expect(code, rule, None, line, file)


def says(code: int, text: str) -> Expect:
    return Expect(code, None, text)


OK = Expect(0)
"""Accepted, nothing to say, nothing changed."""
FIXED = Expect(1, changed=True)
"""bmz format: rewritten into the canonical layout (a second run changes nothing)."""
ADOPTED = Expect(0, changed=True)
"""bmz sync: the new head is valid and becomes the pin."""


@dataclass(frozen=True)
class Case:
    name: str
    files: Mapping[str, Content]
    validate: Expect | None
    format: Expect | None
    sync: Expect | None
    why: str
    where: str = "partner"
    """``partner`` or ``central``: whose files the case changes."""
    setup: Callable[[Path, Path], None] | None = None
    """(repository, world root): more than files, e.g. a FIFO or a nested gitlink."""
    target: str = "collection.yaml"
    """The file ``bmz validate`` and ``bmz format`` are given."""


# -- the partner's valid base commit --------------------------------------------------------------

BASE = """\
format_version: 0.2.3
type: collection
name: Hostile partner
description: A partner whose next commit is hostile.
config:
  id: hostile
  name: Hostile
  logo: https://example.org/hostile/logo.png
collection:
  - id: app
    type: application
    name: App
    description: An application.
    source: https://example.org/app
"""
"""Lines 1-14; an entry appended by ``plus`` starts on line 15."""

BASE_FILES: dict[str, Content] = {
    "collection.yaml": BASE,
    "docs/app.md": "# App\n",
    "rdf/app.yaml": (
        "format_version: 0.2.3\ntype: application\nname: Sourced app\n"
        "description: Read through rdf_source.\nsource: https://example.org/sourced\n"
    ),
}


def plus(entry_id: str, *lines: str) -> str:
    """BASE with one more application entry: ``- id:`` on line 15, ``lines`` from line 20."""
    extra = "".join(f"    {line}\n" for line in lines)
    return (
        BASE
        + f"  - id: {entry_id}\n    type: application\n    name: Extra\n"
        + "    description: One more entry.\n    source: https://example.org/extra\n"
        + extra
    )


def sourced(source: str) -> str:
    """BASE with an entry whose fields come from ``rdf_source`` (on line 16)."""
    return BASE + f"  - id: sourced\n    rdf_source: {source}\n"


def alias_bomb(levels: int = 9) -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for i in range(levels):
        name = chr(ord("b") + i)
        text += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = name
    return text


def mapping_bomb() -> str:
    text = "a: &a {x: 1, y: 2, z: 3, w: 4}\n"
    prev = "a"
    for i in range(8):
        name = f"k{i}"
        text += f"{name}: &{name} {{" + ", ".join(f"m{j}: *{prev}" for j in range(10)) + "}\n"
        prev = name
    return text


def huge() -> bytes:
    return b"name: " + b"x" * (MAX_BYTES + 1) + b"\n"


def over_blob_limit() -> bytes:
    """A valid collection of ~9 MB: under the loader's limit, over the partner blob limit."""
    long = "x" * (MAX_BLOB + 1024 * 1024)
    return BASE.replace("description: A partner", f"description: {long} A partner").encode()


def deep_block_mappings() -> bytes:
    """10 000 levels of block mappings (1 space each): ~50 MB of indentation."""
    return b"".join(b" " * i + b"k:\n" for i in range(10_000))


def invalid_utf8() -> bytes:
    return BASE.replace("description: An application.", "description: caf\xe9").encode("latin-1")


# -- traps: partner content that must never run ---------------------------------------------------

HOOK_NAMES = (
    "pre-commit",
    "post-commit",
    "post-checkout",
    "post-merge",
    "post-rewrite",
    "pre-push",
    "reference-transaction",
    "post-index-change",
    "pre-auto-gc",
    "fsmonitor-watchman",
    "push-to-checkout",
    "update",
    "post-update",
)


def trap_script(markers: Path, name: str) -> str:
    return f"#!/bin/sh\ntouch '{markers}/{name}'\n"


TRAP_FILES: dict[str, Content] = {
    ".pre-commit-config.yaml": (
        "repos:\n  - repo: local\n    hooks:\n      - id: trap\n        name: trap\n"
        "        entry: sh -c 'touch {markers}/pre-commit-config'\n        language: system\n"
        "        always_run: true\n        pass_filenames: false\n"
    ),
    ".githooks/post-checkout": "#!/bin/sh\ntouch '{markers}/githooks-post-checkout'\n",
    ".gitattributes": "* filter=trap diff=trap merge=trap\n",
    ".lfsconfig": "[lfs]\n\turl = ext::sh -c touch% {markers}/lfsconfig\n",
    "Makefile": "all:\n\ttouch {markers}/makefile\n",
    "setup.py": "import pathlib\npathlib.Path('{markers}/setup-py').touch()\n",
}
"""Committed in the partner's base commit; ``test_hostile`` also installs hooks in the
partner's own ``.git/hooks`` and a nested submodule (``.gitmodules`` with an ``ext::`` URL and a
local one whose repository carries a trap)."""


# -- the central repository's registry ------------------------------------------------------------


def registry(field: str, value: str) -> Callable[[Path, Path], None]:
    """Replace one field of the ``hostile`` registry entry in the central collection.yaml."""

    def edit(central: Path, root: Path) -> None:
        path = central / "collection.yaml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        start = lines.index("    - id: hostile\n")
        for i in range(start, start + 4):
            key = lines[i].strip().lstrip("- ").split(":", 1)[0]
            if key == field:
                indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
                dash = "- " if lines[i].lstrip().startswith("- ") else ""
                lines[i] = f"{indent}{dash}{field}: {fill(value, root)}\n"
                break
        else:
            raise AssertionError(f"no {field} in the hostile registry entry")
        path.write_text("".join(lines), encoding="utf-8")

    return edit


def gitmodules(old: str, new: str) -> Callable[[Path, Path], None]:
    def edit(central: Path, root: Path) -> None:
        path = central / ".gitmodules"
        text = path.read_text(encoding="utf-8")
        assert fill(old, root) in text, text
        path.write_text(text.replace(fill(old, root), fill(new, root)), encoding="utf-8")

    return edit


def fresh_clone_with(edit: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    """``edit``, and the partner's module (and the render cache) removed, as in a fresh clone:
    sync must clone the partner."""

    def run(central: Path, root: Path) -> None:
        import shutil
        import subprocess

        edit(central, root)
        subprocess.run(
            ["git", "config", "--remove-section", "submodule.partners/hostile"],
            cwd=central,
            check=True,
        )
        shutil.rmtree(central / ".git" / "modules" / "partners" / "hostile")
        shutil.rmtree(central / ".git" / "bmz-cache", ignore_errors=True)
        shutil.rmtree(central / "partners" / "hostile")
        (central / "partners" / "hostile").mkdir()

    return run


def make_fifo(repo: Path, root: Path) -> None:
    import os

    os.remove(repo / "collection.yaml")
    os.mkfifo(repo / "collection.yaml")


# -- the corpus -----------------------------------------------------------------------------------

C = "collection.yaml"
HELD = 1
"""bmz sync: the partner is held back at its pin (its entries kept), the others go on."""

CASES: tuple[Case, ...] = (
    # --- YAML bombs and limits
    Case(
        "alias-bomb",
        {C: alias_bomb()},
        E(1, "yaml-too-many-nodes", 8),
        E(1, "yaml-too-many-nodes", 8),
        E(HELD, "yaml-too-many-nodes", 8),
        "billion laughs: 9^10 nodes from 1 kB, refused where the count passes the limit; the "
        "expanded size is counted with memoised sizes, so refusing costs milliseconds",
    ),
    Case(
        "alias-bomb-mappings",
        {C: mapping_bomb()},
        E(1, "yaml-too-many-nodes", 8),
        E(1, "yaml-too-many-nodes", 8),
        E(HELD, "yaml-too-many-nodes", 8),
        "the same with mappings of aliases",
    ),
    Case(
        "rdf-source-alias-bomb",
        {C: sourced("rdf/bomb.yaml"), "rdf/bomb.yaml": alias_bomb()},
        E(1, "yaml-too-many-nodes", 8, file="rdf/bomb.yaml"),
        OK,
        E(HELD, "yaml-too-many-nodes", 8, file="rdf/bomb.yaml"),
        "a bomb reached through rdf_source is reported in its own file; format only formats "
        "the file it is given",
    ),
    Case(
        "deep-flow-sequences",
        {C: "a: " + "[" * 10_000 + "]" * 10_000 + "\n"},
        E(1, "yaml-too-deep", 1),
        E(1, "yaml-too-deep", 1),
        E(HELD, "yaml-too-deep", 1),
        "10 000 levels of flow sequences: refused at level 65 before the real parse",
    ),
    Case(
        "deep-flow-behind-quoted-brackets",
        {C: "a: " + '["]", ' * 100_000 + "1" + ', "[" ]' * 100_000 + "\n"},
        E(1, "yaml-too-deep", 1),
        E(1, "yaml-too-deep", 1),
        E(HELD, "yaml-too-deep", 1),
        "100 000 levels of flow sequences whose brackets pair up flat once quotes are ignored "
        "(each level holds a quoted `]`, each closes after a quoted `[`): the regex passes "
        "see one level, and the C composer crashed (SIGSEGV) before the opener bound",
    ),
    Case(
        "deep-flow-mappings",
        {C: "a: " + "{a: " * 10_000 + "}" * 10_000 + "\n"},
        E(1, "yaml-too-deep", 1),
        E(1, "yaml-too-deep", 1),
        E(HELD, "yaml-too-deep", 1),
        "10 000 levels of flow mappings",
    ),
    Case(
        "deep-block-sequences",
        {C: "a:\n  " + "- " * 10_000 + "x\n"},
        E(1, "yaml-too-deep", 2),
        E(1, "yaml-too-deep", 2),
        E(HELD, "yaml-too-deep", 2),
        "10 000 levels of compact block sequences on one line",
    ),
    Case(
        "deep-block-mappings",
        {C: deep_block_mappings},
        E(1, "yaml-too-deep", 65),
        E(1, "yaml-too-deep", 65),
        E(HELD, "collection-file-unreadable"),
        "10 000 levels of indented block mappings (50 MB); sync refuses the blob by its size",
    ),
    Case(
        "huge-file",
        {C: huge},
        E(2, "yaml-too-large"),
        E(2, "yaml-too-large"),
        E(HELD, "collection-file-unreadable"),
        "over the loader's 64 MB limit: refused from its size, never read (sync: by the blob "
        "size git reports)",
    ),
    Case(
        "over-the-partner-blob-limit",
        {C: over_blob_limit},
        E(1, "yaml-too-large"),
        OK,
        E(HELD, "collection-file-unreadable"),
        "a valid 9 MB collection: the loader takes files up to 64 MB (the central collection of "
        "50k resources is ~23 MB), but a partner file over 8 MB is hostile (real ones < 120 kB): "
        "validate refuses it as sync does (the hook predicts the catalogue)",
    ),
    # --- tags
    Case(
        "python-object-tag",
        {C: BASE + "run: !!python/object/apply:os.system ['touch {markers}/python-tag']\n"},
        E(1, "yaml-tag", 15),
        E(1, "yaml-tag", 15),
        E(HELD, "yaml-tag", 15),
        "the safe loader has no python tags: refused, nothing constructed",
    ),
    Case(
        "python-name-tag",
        {C: BASE.replace("name: App", "name: !!python/name:os.system")},
        E(1, "yaml-tag", 12),
        E(1, "yaml-tag", 12),
        E(HELD, "yaml-tag", 12),
        "python/name would import a module",
    ),
    Case(
        "custom-tag",
        {C: BASE.replace("name: App", "name: !include /etc/passwd")},
        E(1, "yaml-tag", 12),
        E(1, "yaml-tag", 12),
        E(HELD, "yaml-tag", 12),
        "local tags are refused (no include, no env expansion)",
    ),
    Case(
        "tag-directive",
        {C: "%TAG !p! tag:yaml.org,2002:python/\n---\n" + BASE + "x: !p!object {}\n"},
        E(1, "yaml-tag", 17),
        E(1, "yaml-tag", 17),
        E(HELD, "yaml-tag", 17),
        "a %TAG directive hiding a python tag",
    ),
    Case(
        "binary-tag",
        {C: BASE + "blob: !!binary aGVsbG8=\n"},
        E(1, "yaml-tag", 15),
        E(1, "yaml-tag", 15),
        E(HELD, "yaml-tag", 15),
        "bytes are not JSON data",
    ),
    Case(
        "set-tag",
        {C: BASE + "tags: !!set {a, b}\n"},
        E(1, "yaml-tag", 15),
        E(1, "yaml-tag", 15),
        E(HELD, "yaml-tag", 15),
        "sets are not JSON data",
    ),
    Case(
        "omap-tag",
        {C: BASE + "extra: !!omap [a: 1, b: 2]\n"},
        OK,
        OK,
        ADOPTED,
        "accepted: an ordered mapping is a mapping (standard YAML 1.2 tag, JSON data)",
    ),
    Case(
        "merge-key",
        {C: BASE + "defaults: &d {license: MIT}\nmore:\n  <<: *d\n"},
        OK,
        OK,
        ADOPTED,
        "accepted: merge keys are standard YAML and give plain data",
    ),
    # --- structure of the text
    Case(
        "duplicate-key",
        {C: BASE + "name: Again\n"},
        E(1, "yaml-duplicate-key", 15),
        E(1, "yaml-duplicate-key", 15),
        E(HELD, "yaml-duplicate-key", 15),
        "which value wins would differ between parsers",
    ),
    Case(
        "duplicate-key-in-entry",
        {C: BASE + "    name: Again\n"},
        E(1, "yaml-duplicate-key", 15),
        E(1, "yaml-duplicate-key", 15),
        E(HELD, "yaml-duplicate-key", 15),
        "the same inside an entry",
    ),
    Case(
        "invalid-utf8",
        {C: invalid_utf8},
        E(1, "yaml-encoding", 13),
        E(1, "yaml-encoding", 13),
        E(HELD, "yaml-encoding", 13),
        "Latin-1 bytes: the position of the first bad byte",
    ),
    Case(
        "utf16",
        {C: BASE.encode("utf-16")},
        E(1, "yaml-encoding", 1),
        E(1, "yaml-encoding", 1),
        E(HELD, "yaml-encoding", 1),
        "UTF-16 with its BOM: not UTF-8",
    ),
    Case(
        "nul-byte",
        {C: BASE.replace("name: App", "name: A\x00pp").encode()},
        E(1, "yaml-control-char", 12),
        E(1, "yaml-control-char", 12),
        E(HELD, "yaml-control-char", 12),
        "a raw NUL byte",
    ),
    Case(
        "escape-byte",
        {C: BASE.replace("name: App", "name: \x1b[2J\x1b[31mApp").encode()},
        E(1, "yaml-control-char", 12),
        E(1, "yaml-control-char", 12),
        E(HELD, "yaml-control-char", 12),
        "a raw terminal escape",
    ),
    Case(
        "bom",
        {C: b"\xef\xbb\xbf" + BASE.encode()},
        OK,
        FIXED,
        ADOPTED,
        "accepted: a UTF-8 BOM is harmless; format drops it",
    ),
    Case(
        "crlf",
        {C: BASE.replace("\n", "\r\n")},
        OK,
        FIXED,
        ADOPTED,
        "accepted: CRLF line endings (Windows editors); format makes them LF",
    ),
    Case(
        "cr-only",
        {C: BASE.replace("\n", "\r")},
        OK,
        FIXED,
        ADOPTED,
        "accepted: CR line endings are YAML line breaks; format makes them LF",
    ),
    Case(
        "tab-indentation",
        {C: BASE.replace("    name: App", "\tname: App")},
        E(1, "yaml-syntax", 12),
        E(1, "yaml-syntax", 12),
        E(HELD, "yaml-syntax", 12),
        "YAML forbids tabs in indentation",
    ),
    Case(
        "tab-separation",
        {C: BASE.replace("name: App", "name:\tApp")},
        OK,
        FIXED,
        ADOPTED,
        "accepted: a tab between tokens is valid YAML; format makes it a space",
    ),
    Case(
        "several-documents",
        {C: BASE + "---\nname: second\n"},
        E(1, "yaml-multiple-documents", 15),
        E(1, "yaml-multiple-documents", 15),
        E(HELD, "yaml-multiple-documents", 15),
        "which document counts would differ between tools",
    ),
    Case(
        "document-end-marker",
        {C: BASE + "...\n"},
        OK,
        OK,
        ADOPTED,
        "accepted: one document, explicitly ended",
    ),
    Case(
        "list-document",
        {C: "- id: app\n- id: other\n"},
        E(1, "yaml-not-mapping", 1),
        E(1, "yaml-not-mapping", 1),
        E(HELD, "yaml-not-mapping", 1),
        "an RDF is a mapping of fields",
    ),
    Case(
        "scalar-document",
        {C: "just text\n"},
        E(1, "yaml-not-mapping", 1),
        E(1, "yaml-not-mapping", 1),
        E(HELD, "yaml-not-mapping", 1),
        "a scalar document",
    ),
    Case(
        "empty-file",
        {C: ""},
        E(1, "yaml-not-mapping", 1),
        E(1, "yaml-not-mapping", 1),
        E(HELD, "yaml-not-mapping", 1),
        "an empty file (or only comments) is no collection",
    ),
    Case(
        "integer-key",
        {C: BASE + "1: one\n"},
        E(1, "yaml-key-type", 15),
        E(1, "yaml-key-type", 15),
        E(HELD, "yaml-key-type", 15),
        "JSON data has string keys only",
    ),
    Case(
        "boolean-key",
        {C: BASE.replace("    source: https://example.org/app", "    true: yes")},
        E(1, "yaml-key-type", 14),
        E(1, "yaml-key-type", 14),
        E(HELD, "yaml-key-type", 14),
        "a boolean key inside an entry",
    ),
    Case(
        "complex-key",
        {C: BASE + "? [a, b]\n: value\n"},
        E(1, "yaml-key-type", 15),
        E(1, "yaml-key-type", 15),
        E(HELD, "yaml-key-type", 15),
        "a sequence as a key",
    ),
    Case(
        "null-key",
        {C: BASE + "~: value\n"},
        E(1, "yaml-key-type", 15),
        E(1, "yaml-key-type", 15),
        E(HELD, "yaml-key-type", 15),
        "a null key",
    ),
    # --- types
    Case(
        "float-format-version",
        {C: BASE.replace("format_version: 0.2.3", "format_version: 0.2")},
        E(1, "format-version", 1),
        OK,
        E(HELD, "format-version", 1),
        "0.2 is a float; format keeps the author's data as it is",
    ),
    Case(
        "number-as-name",
        {C: BASE.replace("name: App", "name: 12")},
        E(1, None, 12),
        OK,
        E(HELD, None, 12),
        "a number where a string belongs",
    ),
    Case(
        "number-as-id",
        {C: BASE.replace("id: app", "id: 12")},
        E(1, "entry-id-type", 10),
        OK,
        E(HELD, "entry-id-type", 10),
        "an entry id must be a string",
    ),
    Case(
        "collection-not-a-list",
        {C: BASE.split("collection:")[0] + "collection: {id: app}\n"},
        E(1, "collection-entries", 9),
        OK,
        E(HELD, "collection-entries", 9),
        "`collection` must be a list of entries",
    ),
    # --- ids
    Case(
        "id-in-another-namespace",
        {C: plus("beta/app")},
        E(1, "entry-id-invalid", 15),
        OK,
        E(HELD, "entry-id-invalid", 15),
        "`beta/app` would be published as hostile/beta/app, posing as partner beta's",
    ),
    Case(
        "id-dot-dot",
        {C: plus("'..'")},
        E(1, "entry-id-invalid", 15),
        OK,
        E(HELD, "entry-id-invalid", 15),
        "`..` climbs out of the partner's folder where ids are used as paths",
    ),
    Case(
        "id-climbing-into-another-namespace",
        {C: plus("../beta/app")},
        E(1, "entry-id-invalid", 15),
        OK,
        E(HELD, "entry-id-invalid", 15),
        "`../beta/app`",
    ),
    Case(
        "id-backslash",
        {C: plus("'..\\beta'")},
        E(1, "entry-id-invalid", 15),
        OK,
        E(HELD, "entry-id-invalid", 15),
        "a Windows path separator",
    ),
    Case(
        "id-newline",
        {C: plus('"evil\\n::error file=x::forged"')},
        E(1, "entry-id-invalid", 15),
        OK,
        E(HELD, "entry-id-invalid", 15),
        "control characters in an id; the message shows them escaped, on one line",
    ),
    Case(
        "id-from-rdf-source",
        {
            C: BASE + "  - rdf_source: rdf/claim.yaml\n",
            "rdf/claim.yaml": "id: beta/app\ntype: application\nname: Claim\ndescription: d\n",
        },
        E(1, "entry-id-invalid", 15),
        OK,
        E(HELD, "entry-id-invalid", 15),
        "the id may come from the rdf_source file: the same rule",
    ),
    Case(
        "id-with-spaces",
        {C: plus("'Notebook Preview'")},
        E(0, "id-format", 15),
        OK,
        ADOPTED,
        "accepted with a warning: a real partner uses this id",
    ),
    Case(
        "id-unicode",
        {C: plus("'naïve-ünïcode'")},
        E(0, "id-format", 15),
        OK,
        ADOPTED,
        "accepted with a warning: odd, but not a path or a namespace",
    ),
    Case(
        "bidi-override-in-name",
        {C: BASE.replace("name: App", 'name: "App \\u202eexe.yaml"')},
        OK,
        OK,
        ADOPTED,
        "accepted: a display name may hold any character; a finding quoting it shows such "
        "characters escaped, on one line",
    ),
    Case(
        "config-id-of-another-partner",
        {C: BASE.replace("  id: hostile", "  id: beta")},
        OK,
        OK,
        ADOPTED,
        "accepted: the partner calls itself beta, but sync publishes under the registry id, so "
        "every id stays hostile/... (asserted by the test)",
    ),
    # --- references leaving the repository
    Case(
        "rdf-source-dot-dot",
        {C: sourced("../outside.yaml")},
        E(1, "path-outside", 16),
        OK,
        E(HELD, "path-outside", 16),
        "`../` leaves the partner repository",
    ),
    Case(
        "rdf-source-absolute",
        {C: sourced("{outside}/outside.yaml")},
        E(1, "path-outside", 16),
        OK,
        E(HELD, "path-outside", 16),
        "an absolute path to an existing file",
    ),
    Case(
        "rdf-source-file-url",
        {C: sourced("file://{outside}/outside.yaml")},
        E(1, "path-outside", 16),
        OK,
        E(HELD, "path-outside", 16),
        "file:// is not a remote URL",
    ),
    Case(
        "rdf-source-symlink-out",
        {C: sourced("rdf/link.yaml"), "rdf/link.yaml": Link("../../outside.yaml")},
        E(1, "path-outside", 16),
        OK,
        E(HELD, "path-outside", 16),
        "a symlink in the partner repository pointing out of it",
    ),
    Case(
        "rdf-source-through-symlinked-folder",
        {C: sourced("out/outside.yaml"), "out": Link("..")},
        E(1, "path-outside", 16),
        OK,
        E(HELD, "path-outside", 16),
        "a symlinked folder on the way out",
    ),
    Case(
        "rdf-source-itself",
        {C: sourced("collection.yaml")},
        E(1, "type-collection", 2),
        OK,
        E(HELD, "type-collection", 2),
        "an entry sourced from the collection itself resolves to a collection (no recursion); "
        "the finding points at the `type` it got from there",
    ),
    Case(
        "documentation-dot-dot",
        {C: plus("doc-up", "documentation: ../outside.md")},
        E(1, "path-outside", 20),
        OK,
        E(HELD, "path-outside", 20),
        "documentation leaving the repository",
    ),
    Case(
        "documentation-absolute",
        {C: plus("doc-abs", "documentation: {outside}/outside.md")},
        E(1, "path-outside", 20),
        OK,
        E(HELD, "path-outside", 20),
        "documentation as an absolute path",
    ),
    Case(
        "documentation-file-url",
        {C: plus("doc-url", "documentation: file:///etc/passwd")},
        E(1, "path-outside", 20),
        OK,
        E(HELD, "path-outside", 20),
        "documentation as a file:// URL",
    ),
    Case(
        "documentation-symlink-out",
        {C: plus("doc-link", "documentation: docs/link.md"), "docs/link.md": Link("/etc/passwd")},
        E(1, "path-outside", 20),
        OK,
        E(HELD, "path-outside", 20),
        "documentation through a symlink to an absolute path",
    ),
    Case(
        "covers-and-attachments-out",
        {C: plus("files-out", "covers: [../outside.png]", "attachments: {files: [/etc/passwd]}")},
        E(1, "path-outside", 20),
        OK,
        E(HELD, "path-outside", 20),
        "covers and attachments follow the same rule",
    ),
    Case(
        "collection-file-symlink-out",
        {C: Link("../outside.yaml")},
        E(2, "path-outside"),
        E(2, "path-outside"),
        E(HELD, "collection-file-outside"),
        "the collection file itself links out: validate does not read it, format does not "
        "write through it (it would rewrite a file outside the repository), sync refuses it",
    ),
    Case(
        "collection-file-symlink-to-device",
        {C: Link("/dev/zero")},
        E(2, "path-outside"),
        E(2, "path-outside"),
        E(HELD, "collection-file-outside"),
        "an endless device behind a link",
    ),
    Case(
        "collection-file-fifo",
        {},
        E(2, "file-unreadable"),
        E(2, "file-unreadable"),
        None,
        "a FIFO given as the file would block a read forever; git cannot commit one (sync: n/a)",
        setup=make_fifo,
    ),
    # --- the partner repository carrying things that could run
    Case(
        "traps-only",
        {"docs/app.md": "# App, edited\n"},
        OK,
        OK,
        ADOPTED,
        "a valid commit of a repository full of traps: hooks in its .git/hooks, "
        ".githooks/, .pre-commit-config.yaml, .gitattributes filters, .lfsconfig, a nested "
        "submodule with an ext:: URL and one whose repository has hooks; none may run",
    ),
    Case(
        "gitmodules-added-in-the-new-head",
        {
            ".gitmodules": (
                '[submodule "evil"]\n\tpath = evil\n\turl = ext::sh -c touch% {markers}/ext2\n'
                '[submodule "../../escape"]\n\tpath = escape\n\turl = {root}/remotes/nested\n'
            ),
            C: plus("more"),
        },
        OK,
        OK,
        says(HELD, "gitmodulesName: disallowed submodule name"),
        "a .gitmodules with an ext:: URL and a climbing module name: never read by sync, and "
        "refused at the fetch by git's object checks (transfer.fsckObjects, issue 13)",
    ),
    # --- the central repository: registry and .gitmodules
    Case(
        "registry-id-dot-dot",
        {},
        E(1, "central-partner-id", 14),
        OK,
        says(2, "invalid partner id"),
        "a registry id naming partners/../escape",
        where="central",
        setup=registry("id", "'../escape'"),
    ),
    Case(
        "registry-id-dots",
        {},
        E(1, "central-partner-id", 14),
        OK,
        says(2, "invalid partner id"),
        "a registry id `..` (partners/..)",
        where="central",
        setup=registry("id", "'..'"),
    ),
    Case(
        "registry-collection-file-dot-dot",
        {},
        E(1, "central-partner-collection-file", 17),
        OK,
        says(2, "invalid collection file name"),
        "collection_file_name leaving the partner repository",
        where="central",
        setup=registry("collection_file_name", "../../etc/passwd"),
    ),
    Case(
        "registry-collection-file-absolute",
        {},
        E(1, "central-partner-collection-file", 17),
        OK,
        says(2, "invalid collection file name"),
        "an absolute collection_file_name",
        where="central",
        setup=registry("collection_file_name", "/etc/passwd"),
    ),
    Case(
        "registry-url-ext",
        {},
        E(1, "central-partner-repository", 15),
        OK,
        says(HELD, "refusing repository URL"),
        "ext:: would run a command; sync refuses the URL before git sees it (held back)",
        where="central",
        setup=registry("repository", "'ext::sh -c touch% {markers}/ext-registry'"),
    ),
    Case(
        "registry-url-fd",
        {},
        E(1, "central-partner-repository", 15),
        OK,
        says(HELD, "refusing repository URL"),
        "fd:: talks to an inherited file descriptor",
        where="central",
        setup=registry("repository", "'fd::17'"),
    ),
    Case(
        "registry-url-option",
        {},
        E(1, "central-partner-repository", 15),
        OK,
        says(HELD, "refusing repository URL"),
        "an option-looking URL would be read by git as --upload-pack",
        where="central",
        setup=registry("repository", "'--upload-pack=touch {markers}/upload-pack'"),
    ),
    Case(
        "registry-branch-option",
        {},
        E(1, "central-partner-branch", 16),
        OK,
        says(2, "refusing branch name"),
        "an option-looking branch",
        where="central",
        setup=registry("branch", "'--upload-pack=touch {markers}/branch'"),
    ),
    Case(
        "gitmodules-url-ext-on-clone",
        {},
        OK,
        OK,
        says(HELD, "its entries are kept as collection.yaml has them"),
        "in a fresh clone (no objects, no render cache) the central .gitmodules URL, which "
        "`git submodule update --init` clones from, is ext::: git's protocol allow-list refuses "
        "it; without the partner's objects its entries are kept from the committed "
        "collection.yaml and it is held back (issue 13.8); validate and format do not read "
        ".gitmodules",
        where="central",
        setup=fresh_clone_with(
            gitmodules("url = {remote}", "url = ext::sh -c touch% {markers}/ext-gitmodules")
        ),
    ),
    Case(
        "gitmodules-name-climbing",
        {},
        OK,
        OK,
        says(2, "refusing submodule name"),
        "a submodule name with `..` would make sync fetch into (and `partner remove` delete) a "
        "folder outside .git/modules",
        where="central",
        setup=gitmodules('[submodule "partners/hostile"]', '[submodule "../../../../escape"]'),
    ),
)


def case_ids() -> list[str]:
    return [c.name for c in CASES]
