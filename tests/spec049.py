"""bioimageio.spec 0.4.9, the reference of the 0.2.x world, in its own venv (`make` creates
.venv-spec049: it conflicts with 0.5.14.3). Driven through a subprocess; no network."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

VENV = Path(__file__).resolve().parents[1] / ".venv-spec049"
PYTHON = VENV / "bin" / "python"

needs_spec049 = pytest.mark.skipif(
    not (VENV / ".installed").exists(),
    reason=".venv-spec049 is missing: `make .venv-spec049/.installed` (part of `make test`)",
)

_SCRIPT = """
import json, sys, warnings
warnings.simplefilter("ignore")
from bioimageio.spec.commands import validate
out = []
for rdf in json.load(sys.stdin):
    summary = validate(rdf)
    out.append(None if summary["error"] is None else str(summary["error"])[:500])
json.dump(out, sys.stdout)
"""


def errors(resources: list[dict[str, Any]], cwd: Path) -> list[str | None]:
    """bioimageio.spec 0.4.9's error for each resource (None: accepted), read in ``cwd``."""
    done = subprocess.run(
        [str(PYTHON), "-c", _SCRIPT],
        input=json.dumps(resources, default=str),
        capture_output=True,
        text=True,
        cwd=cwd,
        check=True,
        timeout=600,
    )
    result: list[str | None] = json.loads(done.stdout)
    return result
