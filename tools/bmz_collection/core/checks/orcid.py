"""ORCID iDs must carry a valid ISO 7064 11,2 check digit (a typo is otherwise invisible)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from bmz_collection.core.checks.context import Context
from bmz_collection.core.findings import Finding

PERSON_LISTS = ("authors", "maintainers", "packaged_by")
_FORMAT = re.compile(r"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]")
"""Only well-formed iDs are checksummed; the schema reports malformed ones (`orcid-format`)."""


def check_digit(base_digits: str) -> str:
    """The ISO 7064 11,2 check character of the first 15 digits of an ORCID iD."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def is_valid(orcid: str) -> bool:
    if not _FORMAT.fullmatch(orcid):
        return False
    digits = orcid.replace("-", "")
    return check_digit(digits[:-1]) == digits[-1]


def check(rdf: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    for group in PERSON_LISTS:
        people = rdf.get(group)
        if not isinstance(people, list):
            continue
        for i, person in enumerate(people):
            if not isinstance(person, Mapping):
                continue  # authors as plain strings carry no orcid
            orcid = person.get("orcid")
            if isinstance(orcid, str) and _FORMAT.fullmatch(orcid) and not is_valid(orcid):
                digits = orcid.replace("-", "")
                yield ctx.error(
                    "orcid-checksum",
                    f"ORCID iD '{orcid}' has a wrong check digit (expected"
                    f" '{check_digit(digits[:-1])}'): a typo?",
                    (group, i, "orcid"),
                )
