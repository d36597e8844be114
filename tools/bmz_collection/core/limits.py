"""Every bound the tool puts on its input and its work, in one place.

Validate, format, sync and the reports read their limits from here, so the hook and the
catalogue refuse the same inputs for the same reasons, and a newcomer can see at once what is
bounded and why. The modules that enforce a bound read it from this module at call time
(``limits.MAX_BLOB``), so a test can lower one with ``monkeypatch.setattr(limits, ...)``.
"""

from __future__ import annotations

# -- input size ------------------------------------------------------------------------------

MAX_BYTES = 64 * 1024 * 1024
"""The largest file read from disk: real partner collections are at most ~110 kB, but a
central ``collection.yaml`` of 50k resources is ~23 MB and must still validate and format."""

MAX_BLOB = 8 * 1024 * 1024
"""The largest partner blob read from git objects: partner files are under 120 kB, so a blob
this big is hostile. NOTE: lower than ``MAX_BYTES`` on purpose for now, so a file can validate
on disk and still be refused by sync; whether to unify the two is issue 13, item 5."""

# -- YAML structure --------------------------------------------------------------------------

MAX_DEPTH = 64
"""Nesting deeper than this is never an RDF; the parser slows down quadratically on it."""

MAX_NODES = 10_000_000
"""Expanded node count (aliases counted at every use): stops "billion laughs" documents while
leaving room for a 50k-resource central collection (~2M nodes)."""

# -- ids -------------------------------------------------------------------------------------

MAX_PARTNER_ID = 64
"""A partner id names a folder, a URL parameter and a CODEOWNERS path: short and plain."""

# -- git -------------------------------------------------------------------------------------

DEFAULT_TIMEOUT = 60.0
"""Seconds for a local git call: none of ours takes more than a second on a sane repository."""

FETCH_TIMEOUT = 300.0
"""Seconds for a remote git call (a partner's fetch): large first clones over slow links."""

CLOSE_TIMEOUT = 5.0
"""Seconds a ``git cat-file --batch`` reader gets to exit after its input is closed."""

MAX_COMMIT_SUBJECTS = 50
"""Commit subjects read per partner update (a summary shows fewer, see ``MAX_SUBJECTS``)."""

# -- summaries -------------------------------------------------------------------------------

MAX_SUBJECTS = 20
"""Commit subjects listed per partner in a summary; the rest is counted."""

MAX_ITEMS = 50
"""Resources listed per partner and list in a summary; the rest is counted, not listed."""

MAX_ERRORS = 30
"""Findings listed per held-back partner in a summary; the rest is counted."""

BODY_LIMIT = 60_000
"""GitHub refuses pull request bodies over 65,536 characters: past this, lists are left out."""

# -- parallel work ---------------------------------------------------------------------------

VALIDATE_PARALLEL_MIN_FILES = 200
"""Below this many files, validation worker processes cost more than they save (fork +
pickling ~15 ms here)."""

FORMAT_PARALLEL_MIN_FILES = 48
"""Below this many files, one process formats faster than starting workers (a lower threshold
than validation's: a round-trip load, ~0.4 MB/s here, costs more per file than a safe load)."""

BUILD_PARALLEL_MIN_PARTNERS = 16
"""Below this many partners, ``bmz build`` loads them here: forking workers costs more."""

SYNC_JOBS = 8
"""Partners fetched at once by default: fetches wait on the network, not on the CPU."""
