"""From YAML text to a node graph (ruamel's C composer) and to JSON-compatible data, fast.

ruamel's C loader parses and composes in C but resolves every scalar and constructs every value
in generic Python, which is most of the cost of loading an RDF. ``Loader`` resolves with the
same YAML 1.2 patterns through a table built once, and ``build`` turns the node graph of an
ordinary document (string keys, plain values, aliases) straight into the data validation uses.
Whatever it does not handle raises ``Unusual``: the caller then runs ruamel's own constructor,
so rare shapes and every error keep ruamel's exact behaviour.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from sys import intern
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import BaseResolver, Resolver
from ruamel.yaml.tag import Tag

try:
    from ruamel.yaml.cyaml import CSafeLoader as _Base
except ImportError:  # no ruamel.yaml.clib wheel for this platform: same results, slower
    from ruamel.yaml.loader import SafeLoader as _Base  # type: ignore[assignment]

_STR = BaseResolver.DEFAULT_SCALAR_TAG
_SEQ = BaseResolver.DEFAULT_SEQUENCE_TAG
_MAP = BaseResolver.DEFAULT_MAPPING_TAG
_TAGS: dict[str, Tag] = {}


def _shared(name: str) -> Tag:
    return _TAGS.setdefault(name, _STR if name == str(_STR) else Tag(suffix=name))


def _rules(rules: list[tuple[str, Any]]) -> tuple[tuple[Tag, Callable[[str], Any]], ...]:
    # ``regexp.match`` unwraps ruamel's lazily compiled pattern once, not at every scalar
    return tuple((_shared(tag), regexp.match) for tag, regexp in rules)


_ANY_FIRST = _rules(Resolver.yaml_implicit_resolvers.get(None, []))
_IMPLICIT = {
    first: _rules(rules) + _ANY_FIRST
    for first, rules in Resolver.yaml_implicit_resolvers.items()
    if first is not None
}
"""YAML 1.2's implicit resolvers by first character, each tag one shared object, so that
``build`` can tell a resolved type by identity."""


class Loader(_Base):
    """ruamel's safe loader (C when available) with a faster resolver of the same rules."""

    processing_version = (1, 2)
    """What the resolver's patterns are. ruamel's C safe loader leaves it unset, so its float
    constructor took YAML 1.1 branches and printed a 1.1 warning for ``1e3``."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, match in _IMPLICIT.get(value[:1], _ANY_FIRST):
                    if match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers in safe loading: nothing to track per level."""

    def ascend_resolver(self) -> None:
        """See ``descend_resolver``."""


class Unusual(Exception):
    """A node graph ``build`` leaves to ruamel's constructor."""


class TooDeep(Exception):
    """A collection nested deeper than allowed; ``node`` is the first one too deep."""

    def __init__(self, node: Node) -> None:
        super().__init__("too deep")
        self.node = node


_SCALARS: dict[int, str] = {
    id(_shared("tag:yaml.org,2002:" + name)): "tag:yaml.org,2002:" + name
    for name in ("null", "bool", "int", "float", "timestamp")
}
_TIMESTAMP = id(_shared("tag:yaml.org,2002:timestamp"))


def build(root: Node, loader: Loader, max_nodes: int, max_depth: int) -> tuple[Any, int]:
    """The JSON-compatible data of a node graph whose mappings have unique string keys and
    whose values are strings, numbers, booleans, nulls or timestamps (as ISO strings), and its
    node count with aliases expanded (they stay shared objects). Raises Unusual for anything
    else (duplicate or non-string keys, merge keys, explicit tags, recursive aliases, more than
    ``max_nodes`` nodes), without changing the graph. Raises TooDeep for collections nested
    more than ``max_depth`` levels (as written: an alias counts where its anchor is)."""
    constructors: dict[str, Callable[[Any, Node], Any]] = loader.yaml_constructors
    done: dict[int, tuple[Any, int]] = {}
    active: set[int] = set()

    def walk(node: Node, depth: int) -> tuple[Any, int]:
        tag = node.ctag
        if tag is _STR and node.__class__ is ScalarNode:
            return node.value, 1
        key = id(node)
        if key in done:
            return done[key]
        if key in active:
            raise Unusual("recursive alias")
        size = 1
        out: Any
        if tag is _MAP or tag is _SEQ:
            if depth > max_depth:
                raise TooDeep(node)
            depth += 1
        if tag is _MAP:
            active.add(key)
            out = {}
            pairs = node.value
            for key_node, value_node in pairs:
                if key_node.ctag is not _STR or key_node.__class__ is not ScalarNode:
                    raise Unusual("not a plain string key")
                out[intern(key_node.value)], n = walk(value_node, depth)
                size += n
            if len(out) != len(pairs):
                raise Unusual("duplicate key")
            active.discard(key)
        elif tag is _SEQ:
            active.add(key)
            out = []
            for item in node.value:
                value, n = walk(item, depth)
                out.append(value)
                size += n
            active.discard(key)
        else:
            name = _SCALARS.get(id(tag))
            if name is None or node.__class__ is not ScalarNode:
                raise Unusual("explicit tag")
            try:
                out = constructors[name](loader, node)
            except Exception as exc:  # ruamel's constructor raises it again, with its context
                raise Unusual("scalar") from exc
            if id(tag) == _TIMESTAMP:
                out = out.isoformat()
            return out, 1
        done[key] = (out, size)
        return out, size

    try:
        data, size = walk(root, 1)
    except RecursionError:
        raise Unusual("deep") from None
    finally:
        done.clear()  # ``walk`` is a recursive closure, a reference cycle that holds ``done``
    if size > max_nodes:
        raise Unusual("too many nodes")
    return data, size


@contextlib.contextmanager
def composed(text: str) -> Iterator[tuple[Loader, Node | None]]:
    """The loader and the node graph of a text (None when empty), for ``build`` or ruamel's
    own constructor; raises ruamel's YAMLError."""
    loader = Loader(text)
    try:
        yield loader, loader.get_single_node()
    finally:
        loader.dispose()


def compose(text: str) -> Node | None:
    """The node graph of a text (None when empty); raises ruamel's YAMLError."""
    with composed(text) as (_, node):
        return node


__all__ = [
    "Loader",
    "MappingNode",
    "SequenceNode",
    "TooDeep",
    "Unusual",
    "build",
    "compose",
    "composed",
]
