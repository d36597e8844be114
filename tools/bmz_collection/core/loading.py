"""Safe YAML loading with hard limits, and positions for findings on demand.

Validation loads with ruamel's C safe loader (YAML 1.2, as bioimageio.spec does). Its C
composer builds the node graph, which carries every node's line and column, before the data
is constructed from it: a Document keeps that graph, so a finding's position is a walk down
its document path, never a second parse.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from bmz_collection.core import construct, depth, limits
from bmz_collection.core.findings import DocPath, Finding, Severity, format_path

_BOM = b"\xef\xbb\xbf"


class LoadError(Exception):
    """A file that cannot be read as one YAML mapping; carries its one finding."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.one_line())
        self.finding = finding


@dataclass
class Document:
    """A loaded file: its JSON-compatible data, its text, and the node graph it was built from
    (the positions of findings; composed again from the text only when not given)."""

    file: str
    text: str
    data: dict[str, Any]
    _root: Node | None = field(default=None, repr=False, compare=False)
    _composed: bool = field(default=False, repr=False, compare=False)

    def locate(self, finding: Finding, *, key: bool = False) -> Finding:
        """The finding with its line and column filled in."""
        if finding.line is not None or finding.file != self.file:
            return finding
        if not self._composed:
            self._root, self._composed = compose(self.text), True
        line, col = position(self._root, finding.path, key=key)
        return finding.at(line, col)


def _fail(
    file: str, rule: str, message: str, line: int | None = None, col: int | None = None
) -> LoadError:
    return LoadError(Finding(file, Severity.ERROR, rule, message, (), line, col))


def _load(text: str, file: str) -> tuple[Any, Node | None]:
    """The JSON-compatible data, and the node graph it was built from unless ruamel's
    constructor had to build it (it may rewrite the graph: merge keys).

    The C loader class directly: the YAML() facade builds a new pipeline per call and composes
    in Python, three times slower. Same resolver rules; ruamel's own constructor for anything
    ``construct.build`` does not handle, so the same data and errors.
    """
    with construct.composed(text) as (loader, root):
        if root is None:
            return None, None
        try:
            return construct.build(root, loader, limits.MAX_NODES, limits.MAX_DEPTH)[0], root
        except construct.Unusual:
            data = loader.construct_document(root)
        except construct.TooDeep as exc:  # nesting that quoted brackets hid from _check_depth
            mark = exc.node.start_mark
            raise _too_deep(file, mark.line + 1, mark.column + 1) from None
    return _jsonable(data, file), None


def too_large(file: str, size: int) -> LoadError:
    """The finding of a file over ``limits.MAX_BYTES``, whoever noticed it."""
    return _fail(
        file, "yaml-too-large", f"file is {size} bytes, over the limit of {limits.MAX_BYTES}"
    )


def decode(raw: bytes, file: str) -> str:
    """Bytes to text: UTF-8 only (a BOM is fine), with the position of the first bad byte."""
    if len(raw) > limits.MAX_BYTES:
        raise too_large(file, len(raw))
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = raw[: exc.start]
        line = head.count(b"\n") + 1
        col = exc.start - (head.rfind(b"\n") + 1) + 1
        raise _fail(
            file, "yaml-encoding", f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})", line, col
        ) from None


def _check_depth(text: str, file: str) -> None:
    """Absurd nesting refused before the real parse, with its position (``core.depth``)."""
    found = depth.first_too_deep(text)
    if found is not None:
        raise _too_deep(file, *found)


def _too_deep(file: str, line: int | None = None, col: int | None = None) -> LoadError:
    message = f"nesting deeper than {limits.MAX_DEPTH} levels"
    return _fail(file, "yaml-too-deep", message, line, col)


def _syntax_error(exc: YAMLError, file: str, text: str) -> LoadError:
    if isinstance(exc, ReaderError):
        head = text[: exc.position]
        line, col = head.count("\n") + 1, exc.position - (head.rfind("\n") + 1) + 1
        code = ord(exc.character) if isinstance(exc.character, str) else int(exc.character)
        message = f"control character #x{code:04x} is not allowed in YAML text"
        return _fail(file, "yaml-control-char", message, line, col)
    if not isinstance(exc, MarkedYAMLError):
        return _fail(file, "yaml-syntax", str(exc).splitlines()[0] if str(exc) else "invalid YAML")
    mark = exc.problem_mark or exc.context_mark
    message = str(exc.problem or exc.context or "invalid YAML")
    rule = "yaml-syntax"
    if "duplicate key" in message:
        rule, message = "yaml-duplicate-key", message.split(" with value")[0]
    elif "could not determine a constructor for the tag" in message:
        tag = message.split("for the tag", 1)[1].strip()
        rule, message = "yaml-tag", f"tag {tag} is not allowed"
    elif "expected a single document" in message or "found another document" in message:
        rule, message = "yaml-multiple-documents", "expected one YAML document, found several"
    if mark is None:
        return _fail(file, rule, message)
    return _fail(file, rule, message, int(mark.line) + 1, int(mark.column) + 1)


def _jsonable(data: Any, file: str) -> Any:
    """Dates become ISO strings; cycles, non-string keys and alias bombs are refused.

    Aliases stay shared objects, but every consumer (the schema validator, a JSON dump) expands
    them, so the limit is on the *expanded* size. Sizes are memoised per shared node, so the
    count costs one visit per distinct node however large the expansion.
    """
    active: set[int] = set()
    done: dict[int, tuple[Any, int]] = {}
    max_nodes = limits.MAX_NODES

    def err(path: DocPath, rule: str, message: str) -> LoadError:
        return LoadError(Finding(file, Severity.ERROR, rule, message, path))

    def walk(node: Any, path: DocPath) -> tuple[Any, int]:
        if isinstance(node, (dict, list)):
            key = id(node)
            if key in done:
                return done[key]
            if len(path) >= limits.MAX_DEPTH:  # what quoted brackets hid from _check_depth
                raise err(path, "yaml-too-deep", f"nesting deeper than {limits.MAX_DEPTH} levels")
            if key in active:
                raise err(path, "yaml-recursive-alias", "recursive alias (a node contains itself)")
            active.add(key)
            size = 1
            out: Any
            if isinstance(node, dict):
                out = {}
                for k, v in node.items():
                    if not isinstance(k, str):
                        raise err(path, "yaml-key-type", f"key {k!r} is not a string")
                    out[k], n = walk(v, (*path, k))
                    size += n
                    if size > max_nodes:
                        break
            else:
                out = []
                for i, v in enumerate(node):
                    value, n = walk(v, (*path, i))
                    out.append(value)
                    size += n
                    if size > max_nodes:
                        break
            if size > max_nodes:
                raise err(
                    path,
                    "yaml-too-many-nodes",
                    f"document expands to more than {max_nodes} nodes (alias bomb?)",
                )
            active.discard(key)
            done[key] = (out, size)
            return out, size
        if isinstance(node, (datetime.date, datetime.datetime)):
            return node.isoformat(), 1
        if isinstance(node, bytes):
            raise err(path, "yaml-tag", "binary values (!!binary) are not allowed")
        if isinstance(node, (set, tuple)):
            raise err(path, "yaml-tag", f"{type(node).__name__} values are not allowed")
        return node, 1

    try:
        return walk(data, ())[0]
    finally:
        done.clear()  # ``walk`` is a recursive closure, a reference cycle that holds ``done``


def parse(text: str, file: str) -> Any:
    """Any YAML value from text, safely; raises LoadError with a positioned finding."""
    return _parse(text, file)[0]


def _parse(text: str, file: str) -> tuple[Any, Node | None]:
    _check_depth(text, file)
    try:
        return _load(text, file)
    except YAMLError as exc:
        raise _syntax_error(exc, file, text) from None
    except RecursionError:  # a shape _check_depth did not foresee: still one clear finding
        raise _fail(file, "yaml-too-deep", "nesting too deep") from None
    except (ValueError, TypeError) as exc:  # e.g. an unhashable complex key
        raise _fail(file, "yaml-syntax", f"invalid YAML: {exc}") from None
    except LoadError as exc:
        f = exc.finding
        if f.line is None:
            root = compose(text)
            key = f.rule == "yaml-key-type"
            line, col = _bad_key_position(root, f.path) if key else position(root, f.path)
            raise LoadError(f.at(line, col)) from None
        raise


def load_ordinary(text: str, file: str, max_nodes: int) -> tuple[Any, Node, int] | None:
    """(data, node graph, node count) of a text that loads without anything unusual (see
    ``construct.build``); None for any other text, including one that does not load: part
    of a file loaded alone, whose problems only the whole file can report exactly."""
    try:
        _check_depth(text, file)
        with construct.composed(text) as (loader, root):
            if root is None:
                return None
            data, size = construct.build(root, loader, max_nodes, limits.MAX_DEPTH)
    except (LoadError, YAMLError, construct.Unusual, construct.TooDeep):
        return None
    except (RecursionError, ValueError, TypeError):  # not a sane document
        return None
    return data, root, size


def load_mapping(raw: bytes, file: str) -> Document:
    """The one entry point for RDF files: bytes to a Document whose data is a mapping."""
    text = decode(raw, file)
    data, root = _parse(text, file)
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {_kind(data)}"
        raise _fail(
            file, "yaml-not-mapping", f"expected a mapping of fields, the document is {kind}", 1, 1
        )
    return Document(file, text, data, root, root is not None)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def compose(text: str) -> Node | None:
    """The node graph of a text that loaded before (None if it does not compose)."""
    try:
        return construct.compose(text)
    except YAMLError:
        return None


def _child(node: Node | None, part: str | int) -> tuple[Node | None, Node | None]:
    """(key node, value node) of one path step; Nones where the step does not exist."""
    if isinstance(node, MappingNode) and isinstance(part, str):
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == part:
                return key_node, value_node
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None, None


def position(root: Node | None, path: DocPath, *, key: bool = False) -> tuple[int, int]:
    """1-based line and column of the node at ``path`` (its key with ``key``), or of the
    deepest existing parent when the path goes further than the document."""
    node = root
    mark = node.start_mark if node is not None else None
    for i, part in enumerate(path):
        key_node, value = _child(node, part)
        if value is None:
            break
        want_key = key and i == len(path) - 1 and key_node is not None
        mark = (key_node if want_key else value).start_mark  # type: ignore[union-attr]
        node = value
    if mark is None:
        return 1, 1
    return mark.line + 1, mark.column + 1


_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _bad_key_position(root: Node | None, path: DocPath) -> tuple[int, int]:
    """Of the first key that is not a string in the mapping at ``path`` (the finding names
    the mapping: the key itself has no document path)."""
    node = root
    for part in path:
        node = _child(node, part)[1]
    if isinstance(node, MappingNode):
        for key_node, _ in node.value:
            if key_node.tag not in (_STR_TAG, _MERGE_TAG) or not isinstance(key_node, ScalarNode):
                return key_node.start_mark.line + 1, key_node.start_mark.column + 1
    return position(root, path)


def locate(text: str, path: DocPath) -> tuple[int, int]:
    return position(compose(text), path)


__all__ = [
    "Document",
    "LoadError",
    "decode",
    "format_path",
    "load_mapping",
    "locate",
    "parse",
    "position",
    "too_large",
]
