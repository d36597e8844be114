"""``bmz outdated``: resources whose format_version is behind the newest the tool knows."""

from __future__ import annotations

import argparse
import sys

HELP = """\
List, per partner, the resources whose format_version is older than the newest format of
their type, as bioimageio.spec writes them today: generic 0.3.x (application, dataset,
notebook), model 0.5.x; collections stay at 0.2.x. For each, whether `bmz format --upgrade`
does it, which fields need a person first, or that it is not automated (models 0.4 -> 0.5).

PATH is a central repository (its generated collection.yaml is read: every published resource)
or a partner collection file (its entries are resolved as sync resolves them).

Exit codes: 0 everything current, 1 some resources are behind, 2 usage or unreadable input.
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "outdated",
        help="list resources behind the newest known format version",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("path", nargs="?", default=".", metavar="PATH", help="(default: .)")
    p.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict
    from pathlib import Path

    from bmz_collection.engine.outdated import behind, by_partner

    entries, source = _entries(Path(args.path))
    rows = behind(entries)
    if args.format == "json":
        json.dump([asdict(r) for r in rows], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for partner, items in by_partner(rows).items():
            print(f"{partner or '(no partner)'}: {len(items)} resource(s) behind")
            width = max(len(r.id) for r in items)
            for r in items:
                change = f"{r.version} -> {r.newest}"
                print(f"  {r.id:{width}}  {r.type:11} {change:16}  {r.upgrade}")
        total = len(entries)
        print(f"{len(rows)} of {total} resource(s) in {source} behind the newest format.")
    return 1 if rows else 0


def _entries(path: object) -> tuple[list[dict[str, object]], str]:
    """The resolved entries at PATH, and how to name it."""
    from pathlib import Path

    from bmz_collection.core import central
    from bmz_collection.core.errors import FatalError, UsageError
    from bmz_collection.core.loading import LoadError, load_mapping
    from bmz_collection.core.resolve import collection_id_of
    from bmz_collection.engine.batch import repository_tree
    from bmz_collection.engine.validate import check_collection
    from bmz_collection.io.fsio import find_repo_root

    assert isinstance(path, Path)
    file = path / central.FILE_NAME if path.is_dir() else path
    if not file.is_file():
        raise UsageError(f"no collection file at {path}")
    raw = file.read_bytes()
    if central.split(raw)[1] is not None:
        return central.generated_resources(central.generated_text(raw), str(file)), str(file)
    try:
        doc = load_mapping(raw, str(file))
    except LoadError as exc:
        raise FatalError(exc.finding.one_line()) from None
    root = find_repo_root(file)
    relpath = file.resolve().relative_to(root).as_posix()
    result = check_collection(
        raw,
        relpath,
        repository_tree(root),
        collection_id=collection_id_of(doc.data),
        display=str(file),
    )
    own: dict[str, object] = {
        "id": f"{collection_id_of(doc.data) or file.name} (the collection file)",
        "type": "collection",
        "format_version": doc.data.get("format_version"),
    }
    return [own, *(e.data for e in result.entries)], str(file)
