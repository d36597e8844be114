"""bioimageio.spec 0.5.14.3 as the reference implementation of today's spec, in tests only.

The library is a dev dependency: it is imported here, never by ``bmz_collection`` (it costs
seconds to import; the hooks must stay fast). ``converted`` is the library's own converter
(``convert_from_old_format_wo_validation`` of the description class of the resource's type);
``accepts`` is its verdict on a file as ``bioimageio.spec.load_description`` reads it, without
network or file checks (``perform_io_checks=False``).
"""

from __future__ import annotations

import copy
import functools
import json
import logging
from pathlib import Path
from typing import Any


@functools.cache
def _quiet() -> None:
    from loguru import logger

    logger.remove()
    logging.getLogger("bioimageio").setLevel(logging.ERROR)


def descr_class(rtype: object) -> Any:
    """The class bioimageio.spec validates a resource of this type with (today's formats)."""
    from bioimageio.spec.application.v0_3 import ApplicationDescr
    from bioimageio.spec.dataset.v0_3 import DatasetDescr
    from bioimageio.spec.generic.v0_3 import GenericDescr
    from bioimageio.spec.model.v0_5 import ModelDescr
    from bioimageio.spec.notebook.v0_3 import NotebookDescr

    classes = {
        "application": ApplicationDescr,
        "dataset": DatasetDescr,
        "model": ModelDescr,
        "notebook": NotebookDescr,
    }
    return classes.get(str(rtype), GenericDescr)


def converted(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` converted to the newest format of its type by the library's own converter."""
    from bioimageio.spec import ValidationContext

    _quiet()
    out = copy.deepcopy(data)
    with ValidationContext(perform_io_checks=False):
        descr_class(out.get("type")).convert_from_old_format_wo_validation(out)
    # the model converter leaves some values as the library's own types (ids, ORCIDs)
    plain: dict[str, Any] = json.loads(json.dumps(out, default=str))
    return plain


def newest(rtype: str) -> str:
    return str(descr_class(rtype).implemented_format_version)


def summary(path: Path) -> Any:
    from bioimageio.spec import load_description

    _quiet()
    descr = load_description(path, perform_io_checks=False)
    return descr.validation_summary


def accepts(path: Path) -> bool:
    """The library's verdict: 'failed' rejects; 'valid-format' and 'passed' accept."""
    return bool(summary(path).status != "failed")


def error_fields(path: Path) -> set[str]:
    """The top-level fields the library's errors are about."""
    return {str(e.loc[0]) if e.loc else "" for d in summary(path).details for e in d.errors}


def described(path: Path) -> dict[str, Any]:
    """The library's description of a valid file, as a dict of every field it defines."""
    from bioimageio.spec import load_description

    _quiet()
    descr = load_description(path, perform_io_checks=False)
    dumped: dict[str, Any] = descr.model_dump(mode="json", exclude={"root"})
    return dumped
