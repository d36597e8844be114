"""``bmz build``: the website feed and the static site, from the pins."""

from __future__ import annotations

import argparse
import sys

HELP = """\
Write the website feed DIR/collection.json (the shape of the catalogue's deployed feed: the
central head's fields, config.partners with each partner's display details, config.n_resources,
and every resource) and a static site beside it (DIR/index.html, site.css, site.js,
collection.js) that shows each partner's page: partner strip, splash screen, resource grid.
Everything comes from collection.yaml's head and the partners' collections at their pinned
commits (nothing is fetched), so the same pins give the same bytes.

The page works from file:// and on GitHub Pages; filter it as the website does:
index.html?partner=ID (or index.html#/?partner=ID), &type=model, &tags=a,b, &id=RESOURCE.

Exit codes: 0 written, 2 usage or fatal error (e.g. a partner submodule not initialised).
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "build",
        help="write the website feed (collection.json) and the static site from the pins",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--out", metavar="DIR", help="where to write (default: site/ in the repository)")
    p.add_argument("--repo", metavar="DIR", default=".", help="the central repository (.)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bmz_collection.engine.build import build
    from bmz_collection.report.feed import FEED, page_url, write_site
    from bmz_collection.report.progress import TerminalBar

    result = build(Path(args.repo), progress=TerminalBar(sys.stderr))
    assert result.root is not None  # a central repository's build says where it was
    out = Path(args.out) if args.out is not None else result.root / "site"
    for note in result.notes:
        print(f"warning: {note}", file=sys.stderr)
    page = write_site(out, result.feed)
    n = len(result.feed["collection"])
    print(f"wrote {out / FEED}: {n} resources from {len(result.partners)} partner(s)")
    print(f"open {page_url(page)}")
    return 0
