"""The JSON Schemas: loaded offline into one registry, compiled once per process.

The schemas are the single source of truth, including for severity and rule names: a subschema
may carry ``x-bmz-rule``, ``x-bmz-severity: warning`` and ``x-bmz-message``; an error raised
inside it takes the innermost of each (see ``_annotations``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

from bmz_collection.core.findings import DocPath, Finding, Severity

ID_PREFIX = "urn:bmz-collection:"
RDF = "rdf-0.2"
GENERIC_03 = "generic-0.3"
MODEL_04 = "model-0.4"
MODEL_05 = "model-0.5"
COLLECTION = "collection-0.2"
CENTRAL = "central-collection"
PARTNER_CONFIG = "partner-config"
FEED = "feed"
RECORD = "resource-record"


@functools.cache
def resources_by_id() -> dict[str, dict[str, Any]]:
    """Every schema shipped in ``bmz_collection.schemas``, keyed by its ``$id``."""
    out: dict[str, dict[str, Any]] = {}
    for item in sorted(resources.files("bmz_collection.schemas").iterdir(), key=lambda p: p.name):
        if item.name.endswith(".json"):
            schema = json.loads(item.read_text(encoding="utf-8"))
            out[schema["$id"]] = schema
    return out


def schema(name: str) -> dict[str, Any]:
    return resources_by_id()[ID_PREFIX + name]


@functools.cache
def _registry() -> Any:
    import jsonschema_rs

    return jsonschema_rs.Registry(list(resources_by_id().items()))


@functools.cache
def _validator(name: str) -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(schema(name), registry=_registry(), validate_formats=True)


def is_valid(data: Any, name: str) -> bool:
    return bool(_validator(name).is_valid(data))


def validate(data: Any, name: str, file: str, base: DocPath = ()) -> list[Finding]:
    """Findings of one schema against ``data``; paths are prefixed with ``base``."""
    v = _validator(name)
    if v.is_valid(data):  # the fast path: clean data costs microseconds
        return []
    root = ID_PREFIX + name
    findings = []
    for err in v.iter_errors(data):
        evaluation_path = tuple(err.evaluation_path)
        rule, severity, message = _annotations(root, evaluation_path)
        keyword = str(evaluation_path[-1]) if evaluation_path else "schema"
        path: DocPath = tuple(err.instance_path)
        findings.append(
            Finding(
                file=file,
                severity=severity,
                rule=rule or f"schema-{keyword}",
                message=message or _message(err),
                path=(*base, *path),
            )
        )
    return findings


def _message(err: Any) -> str:
    msg = str(err.message)
    if len(msg) > 200:
        msg = msg[:197] + "..."
    return msg


@functools.lru_cache(maxsize=4096)
def _annotations(
    root_id: str, evaluation_path: tuple[Any, ...]
) -> tuple[str | None, Severity, str | None]:
    """Walk the schema along an error's evaluation path, following ``$ref``s, collecting the
    innermost ``x-bmz-*`` annotations (the same few paths recur in every file: cached)."""
    rule: str | None = None
    severity = Severity.ERROR
    message: str | None = None
    for node in _walk(root_id, evaluation_path):
        if not isinstance(node, dict):
            continue
        rule = node.get("x-bmz-rule", rule)
        if "x-bmz-severity" in node:
            severity = Severity(node["x-bmz-severity"])
        message = node.get("x-bmz-message", message)
    return rule, severity, message


def _walk(root_id: str, steps: tuple[Any, ...]) -> Iterator[Any]:
    base = root_id
    node: Any = resources_by_id()[root_id]
    yield node
    for step in steps:
        if step in ("$ref", "$dynamicRef") and isinstance(node, dict) and step in node:
            base, node = _resolve_ref(base, node[step])
        elif isinstance(node, dict):
            node = node.get(str(step))
        elif isinstance(node, list):
            try:
                node = node[int(step)]
            except (ValueError, IndexError):
                return
        else:
            return
        if node is None:
            return
        yield node


def _resolve_ref(base: str, ref: str) -> tuple[str, Any]:
    uri, _, pointer = ref.partition("#")
    target_id = uri or base
    node: Any = resources_by_id().get(target_id, {})
    for token in pointer.split("/")[1:] if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node.get(token, {})
    return target_id, node


def newest(name: str) -> str:
    """The newest format version a schema knows (its ``x-bmz-newest``): what `bmz outdated`
    compares against."""
    return str(schema(name)["x-bmz-newest"])
