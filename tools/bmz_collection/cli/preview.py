"""``bmz preview``: a partner's page as the catalogue would show it, before joining."""

from __future__ import annotations

import argparse

HELP = """\
Build the catalogue's page for this partner repository alone, from its working tree: the
splash screen (logo, title, features), the resource grid with the type tabs, every resource as
the catalogue would publish it, and the validation findings that would hold a sync back.
Relative covers and documentation are shown from the working tree. Prints the file:// URL to
open in a browser.

PATH is the repository (its collection.yaml, collection.bioimage.io.yaml or
manifest.bioimage.io.yaml) or the collection file itself (default: .).

Exit codes: 0 built, no errors; 1 built, the collection has errors (listed on the page and
here); 2 usage or unreadable input.
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "preview",
        help="build a partner's page from its own repository, with its findings",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("path", nargs="?", default=".", metavar="PATH", help="repository or file (.)")
    p.add_argument(
        "--out",
        metavar="DIR",
        help="where to write the page (default: a folder for this repository in the temp dir)",
    )


def default_out(file_path: str) -> str:
    """One folder per repository in the temp dir: outside the partner's working tree."""
    import hashlib
    import tempfile
    from pathlib import Path

    key = hashlib.sha256(str(Path(file_path).resolve()).encode()).hexdigest()[:12]
    return str(Path(tempfile.gettempdir()) / f"bmz-preview-{key}")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bmz_collection.engine.build import preview
    from bmz_collection.report.feed import page_url, write_site
    from bmz_collection.report.findings import counts

    result = preview(Path(args.path))
    out = Path(args.out or default_out(args.path))
    page = write_site(out, result.feed, result.findings)
    for f in result.findings:
        print(f.one_line())
    errors, warnings = counts(result.findings)
    pid = result.partners[0].partner.id
    n = len(result.feed["collection"])
    print(f"{pid}: {n} resources, {errors} error(s), {warnings} warning(s)")
    print(page_url(page, pid))
    return 1 if errors else 0
