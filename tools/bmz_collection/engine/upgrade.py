"""Format upgrades (``bmz format --upgrade``): within 0.2.x, and generic 0.2.x to today's 0.3.

**Generic 0.2.x to 0.3** (stand-alone resources and the entries of a partner collection): the
fields are converted as bioimageio.spec's own converter converts them (``core/convert03``), in
place, through ruamel's round-trip mode so comments and untouched lines stay. A resource is
upgraded only when the result is a valid 0.3 resource; otherwise nothing of it changes and each
field that needs a person (HTML documentation, a missing licence, an id with capitals) is named.
Models 0.4 are named too: their conversion to 0.5 rewrites tensors and weights and is left to
bioimageio.spec (``bioimageio update-format``).

**Within 0.2.x**:
The only structural change between collection formats 0.2.0/0.2.1 and 0.2.2 is that entries
moved from typed lists (``application:``, ``model:``, ...) into one ``collection:`` list with a
``type`` each. We apply exactly that, through ruamel's round-trip mode so comments travel with
their entries, then lay the result out in the canonical style. Each upgrade is checked before it
is returned: every entry resolves to the same data as before (format_version aside), the rest of
the document is unchanged and no comment is lost. Later 0.2 formats tightened rules (0.2.3:
no ``/`` in names) without moving data, so they are not "upgrades" we can apply blindly.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from bmz_collection.core import convert03, jsonschemas
from bmz_collection.core.checks import run_checks
from bmz_collection.core.checks.context import Context
from bmz_collection.core.checks.versions import parse as parse_version
from bmz_collection.core.findings import DocPath, Finding, Severity, unique_sorted
from bmz_collection.core.formatting import DEFAULT_STYLE, Style, comments, format_text
from bmz_collection.core.loading import load_mapping, parse
from bmz_collection.core.resolve import NOT_INHERITED, TYPED_LISTS, entry_lists
from bmz_collection.core.tree import Kind

TARGET = "0.2.2"
UPGRADABLE = ("0.2.0", "0.2.1")


class UpgradeError(Exception):
    """An upgrade would not be lossless; nothing is written."""

    def __init__(self, file: str, message: str) -> None:
        self.finding = Finding(file, Severity.ERROR, "upgrade-lossy", message)
        super().__init__(self.finding.one_line())


@dataclass
class Upgrade:
    text: str
    notes: list[Finding] = field(default_factory=list)
    """What the upgrade could not do by itself: one warning per field that needs a person."""


def upgrade(text: str, style: Style = DEFAULT_STYLE, *, file: str = "<text>") -> Upgrade:
    """``text`` with every upgrade that is safe applied: typed lists of 0.2.0/0.2.1 collections
    into ``collection``, then generic 0.2.x resources (or entries) to today's 0.3. Raises
    LoadError for unreadable text, UpgradeError if a check fails."""
    text = upgrade_text(text, style, file=file)
    return _to_today(text, style, file)


def upgrade_text(text: str, style: Style = DEFAULT_STYLE, *, file: str = "<text>") -> str:
    """``text`` upgraded to collection format 0.2.2 when it is a 0.2.0/0.2.1 collection, else
    unchanged. Raises LoadError for unreadable text, UpgradeError if a check fails."""
    before = parse(text, file)
    if not _upgradable(before):
        return text
    new = format_text(_move_typed_lists(text), style, file=file)
    after = parse(new, file)
    if _meaning(after) != _meaning(before) or after.get("format_version") != TARGET:
        raise UpgradeError(file, "the upgraded file would resolve to different entries")
    if Counter(c for _, c in comments(new)) != Counter(c for _, c in comments(text)):
        raise UpgradeError(file, "the upgrade would lose a comment")
    return new


def _upgradable(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and data.get("type", "collection") == "collection"
        and str(data.get("format_version")) in UPGRADABLE
        and any(isinstance(data.get(kind), list) for kind in TYPED_LISTS)
    )


def _move_typed_lists(text: str) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 16
    yaml.indent(mapping=2, sequence=4, offset=2)
    doc = yaml.load(text)
    merged = doc.get("collection")
    if not isinstance(merged, CommentedSeq):
        merged = CommentedSeq(merged or [])
    first_key = next((k for k in doc if k in TYPED_LISTS or k == "collection"), None)
    for kind in TYPED_LISTS:
        items = doc.get(kind)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if isinstance(item, CommentedMap) and "type" not in item:
                item.insert(1 if "id" in item else 0, "type", kind)
            merged.append(item)
            if isinstance(items, CommentedSeq) and i in items.ca.items:
                merged.ca.items[len(merged) - 1] = items.ca.items[i]
        if isinstance(items, CommentedSeq) and items.ca.comment and not merged.ca.comment:
            merged.ca.comment = items.ca.comment
    position = list(doc).index(first_key) if first_key in doc else len(doc)
    for kind in TYPED_LISTS:
        doc.pop(kind, None)
    doc.pop("collection", None)
    doc.insert(min(position, len(doc)), "collection", merged)
    doc["format_version"] = TARGET
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _meaning(data: dict[str, Any]) -> tuple[Any, ...]:
    """What an upgrade must keep: the entries (with their type) and every other root field."""
    root = {
        k: v for k, v in data.items() if k not in (*TYPED_LISTS, "collection", "format_version")
    }
    entries = []
    for _, item, implied in entry_lists(data):
        entry = dict(item) if isinstance(item, dict) else {"?": item}
        if implied is not None:
            entry.setdefault("type", implied)
        entries.append(sorted(entry.items(), key=lambda kv: kv[0]))
    return root, sorted(map(repr, entries))


# -- generic 0.2.x to today's 0.3 ------------------------------------------------------------


class _EveryFileExists:
    """Whether a relative path exists is not the upgrade's business (``bmz validate`` says)."""

    def kind(self, relpath: str) -> Kind:
        return Kind.FILE

    def read(self, relpath: str) -> bytes:
        raise OSError("not read")


SPECIFIC_TYPES = ("application", "dataset", "notebook")
"""The 0.3 types whose description forbids unknown keys in bioimageio.spec."""


def target() -> str:
    return jsonschemas.newest(jsonschemas.GENERIC_03)


def is_generic_02(data: Mapping[str, Any]) -> bool:
    """A generic resource the upgrade can move: 0.2.x, or 0.3.x older than the newest."""
    version = data.get("format_version")
    if data.get("type") in ("model", "collection") or not isinstance(version, str):
        return False
    have, newest = parse_version(version), parse_version(target())
    return version.startswith("0.2.") or (
        version.startswith("0.3.") and have is not None and newest is not None and have < newest
    )


def problems(resource: Mapping[str, Any]) -> list[Finding]:
    """The errors a resource converted to 0.3 would still have: what needs a person."""
    ctx = Context("", _EveryFileExists(), "", str(resource.get("format_version")))
    found = jsonschemas.validate(resource, jsonschemas.GENERIC_03, "")
    found += run_checks(resource, ctx)
    if resource.get("type") in SPECIFIC_TYPES:
        # bmz accepts unknown keys, bioimageio.spec does not: the upgrade must give a file both
        # accept (docs/spec-differences.md, `unknown-keys`)
        known = set(jsonschemas.schema(jsonschemas.GENERIC_03)["x-bmz-fields"])
        found += [
            Finding(
                "",
                Severity.ERROR,
                "field-unknown",
                f"`{key}` is not a field of format 0.3: move it under `config` (or delete it)",
                (key,),
            )
            for key in resource
            if key not in known
        ]
    return [f for f in found if f.is_error]


def _field_of(finding: Finding) -> str:
    """The top-level field a finding is about; for a missing field (a finding at the root),
    the first `name` its message quotes."""
    if finding.path:
        return str(finding.path[0])
    quoted = re.search(r"[`\"]([a-z_]+)[`\"]", finding.message)
    return quoted.group(1) if quoted else ""


def _needs_person(file: str, base: DocPath, found: list[Finding], what: str) -> Iterator[Finding]:
    """One note per field, naming it and saying what the 0.3 rules ask for."""
    by_field: dict[str, Finding] = {}
    for f in found:
        by_field.setdefault(_field_of(f), f)
    for key, f in sorted(by_field.items()):
        where = f"`{key}`" if key else "the resource"
        yield Finding(
            file,
            Severity.WARNING,
            "upgrade-needs-person",
            f"{what} not upgraded to {target()}: {where} needs a person: {f.message}",
            (*base, key) if key else base,
        )


def _to_today(text: str, style: Style, file: str) -> Upgrade:
    data = parse(text, file)
    if not isinstance(data, dict):
        return Upgrade(text)
    notes: list[Finding] = []
    edits: dict[DocPath, dict[str, Any]] = {}
    if data.get("type", "collection") == "collection" and entry_lists(data):
        _plan_entries(data, file, edits, notes)
    elif is_generic_02(data):
        new = convert03.convert(data, target())
        found = problems(new)
        if found:
            notes.extend(_needs_person(file, (), found, "this resource is"))
        else:
            edits[()] = new
    elif data.get("type") == "model" and str(data.get("format_version", "")).startswith("0.4."):
        notes.append(_model_note(file, ()))
    if edits:
        text = _apply_edits(text, style, file, data, edits)
    doc = load_mapping(text.encode("utf-8"), file)
    return Upgrade(text, unique_sorted(doc.locate(n) for n in notes))


@dataclass(frozen=True)
class Verdict:
    """Whether ``bmz format --upgrade`` can bring a resource to the newest format."""

    how: str
    """"automatic", "needs a person" or "not automated"."""
    fields: tuple[str, ...] = ()
    """For "needs a person": the fields to fix first."""

    def __str__(self) -> str:
        if self.how == "automatic":
            return "bmz format --upgrade does it"
        if self.fields:
            return f"{self.how}: {', '.join(self.fields)}"
        return self.how


def verdict(resource: Mapping[str, Any]) -> Verdict:
    """For a resolved resource behind the newest format of its type."""
    if is_generic_02(resource):
        found = problems(convert03.convert(resource, target()))
        if not found:
            return Verdict("automatic")
        return Verdict("needs a person", tuple(sorted({_field_of(f) or "?" for f in found})))
    if resource.get("type") == "model":
        return Verdict("not automated", ("model: bioimageio update-format",))
    return Verdict("not automated")


def _model_note(file: str, path: DocPath) -> Finding:
    return Finding(
        file,
        Severity.WARNING,
        "upgrade-not-automated",
        "model 0.4 to 0.5 is not automated (tensors and weights are rewritten): convert it"
        " with bioimageio.spec (`bioimageio update-format`)",
        (*path, "format_version"),
    )


def _plan_entries(
    root: dict[str, Any], file: str, edits: dict[DocPath, dict[str, Any]], notes: list[Finding]
) -> None:
    """Which entries of a collection move to 0.3 (their own fields converted; what they inherit
    is converted at resolution), and which need a person."""
    inherited = {k: v for k, v in root.items() if k not in NOT_INHERITED}
    for path, raw, implied in entry_lists(root):
        if not isinstance(raw, dict) or path[0] != "collection":
            continue
        resolved = {**inherited, **({"type": implied} if implied else {}), **raw}
        if resolved.get("type") == "model" and str(resolved.get("format_version", "")).startswith(
            "0.4."
        ):
            notes.append(_model_note(file, path))
            continue
        if not is_generic_02(resolved):
            continue
        if raw.get("rdf_source") is not None:
            continue  # its file is upgraded on its own; `bmz outdated` says which are behind
        version = str(resolved["format_version"])
        own = {k: convert03.convert_field(k, v, version) for k, v in raw.items()}
        own = {k: v for k, v in own.items() if k not in convert03.DROPPED}
        own["format_version"] = target()
        after = {**convert03.convert({**inherited, **raw}, target()), **own}
        after["id"] = raw.get("id", after.get("id"))
        found = problems({k: v for k, v in after.items() if v is not None})
        if found:
            entry_id = raw.get("id", path[-1])
            notes.extend(_needs_person(file, path, found, f"entry {entry_id!r} is"))
        else:
            edits[path] = own


def _apply_edits(
    text: str, style: Style, file: str, before: dict[str, Any], edits: dict[DocPath, dict[str, Any]]
) -> str:
    """Write the planned mappings in place, keep comments, lay out canonically, and check that
    exactly the planned data came out."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 16
    yaml.indent(mapping=2, sequence=4, offset=2)
    doc = yaml.load(text)
    expected = _plain(before)
    for path, new in edits.items():
        node: Any = doc
        target_node: Any = expected
        for step in path:
            node, target_node = node[step], target_node[step]
        _merge(node, new)
        target_node.clear()
        target_node.update(new)
    out = io.StringIO()
    yaml.dump(doc, out)
    new_text = format_text(out.getvalue(), style, file=file)
    if parse(new_text, file) != expected:
        raise UpgradeError(file, "the upgraded file would not hold the converted fields")
    if Counter(c for _, c in comments(new_text)) != Counter(c for _, c in comments(text)):
        raise UpgradeError(file, "the upgrade would lose a comment")
    return new_text


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _merge(node: Any, new: Any) -> None:
    """Make the round-trip mapping ``node`` equal ``new``, touching only what differs (so the
    comments on untouched keys and items stay where they are)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    for key in [k for k in node if k not in new]:
        del node[key]
    for key, value in new.items():
        old = node.get(key) if key in node else None
        if isinstance(old, CommentedMap) and isinstance(value, dict):
            _merge(old, value)
        elif isinstance(old, CommentedSeq) and isinstance(value, list) and len(old) == len(value):
            for i, item in enumerate(value):
                if isinstance(old[i], CommentedMap) and isinstance(item, dict):
                    _merge(old[i], item)
                elif old[i] != item or type(old[i]) is not type(item):
                    if isinstance(item, dict):
                        old.fa.set_block_style()  # `[source: a.png]` reads badly
                    old[i] = _node(item, old, i)
        elif key not in node:
            # a new field: format_version stays in front of type, as it was
            before_type = key == "format_version" and "type" in node
            at = list(node).index("type") if before_type else len(node)
            node.insert(at, key, _node(value, None, None))
        elif old != value or isinstance(value, (dict, list)):
            node[key] = _node(value, node, key)


def _node(value: Any, parent: Any, index: Any) -> Any:
    """A new value for ``parent[index]``: a scalar that becomes a mapping (``README.md`` ->
    ``source: README.md``) takes over the scalar's end-of-line comment."""
    from ruamel.yaml.comments import CommentedMap

    if not isinstance(value, dict):
        return value
    out = CommentedMap(value)
    comment = _eol_comment(parent, index) if parent is not None else None
    if comment is not None and out:
        out.yaml_add_eol_comment(comment, key=next(iter(out)))
    return out


def _eol_comment(parent: Any, index: Any) -> str | None:
    """The one end-of-line comment after ``parent[index]``, taken off it; None (and nothing
    taken) when there is none or more than a single line."""
    from ruamel.yaml.tokens import CommentToken

    entry = parent.ca.items.get(index)
    tokens = [t for t in entry or () if t is not None]
    if len(tokens) != 1 or not isinstance(tokens[0], CommentToken):
        return None
    text = str(tokens[0].value)
    if text.count("\n") != 1 or not text.strip().startswith("#"):
        return None
    del parent.ca.items[index]
    return text.strip()
