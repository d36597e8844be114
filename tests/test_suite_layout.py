"""The test suite's own rules: fixtures reach test modules through conftest.py only (no test
module imports a fixture, nor anything from another test module), and the ``slow`` marker is
registered, so ``pytest -m "not slow"`` is a quick loop and a misspelt marker is an error."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = None

TESTS = Path(__file__).resolve().parent
MODULES = sorted(TESTS.rglob("*.py"))


def _fixtures(tree: ast.Module) -> set[str]:
    """Names of the functions decorated with ``pytest.fixture`` (called or not)."""
    out = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                if ast.unparse(target) in ("pytest.fixture", "fixture"):
                    out.add(node.name)
    return out


def _imported(path: Path, tree: ast.Module) -> list[tuple[Path, list[str]]]:
    """(module file, names) of every relative import of a module in ``tests/``."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            base = path.parent
            for _ in range(node.level - 1):
                base = base.parent
            parts = node.module.split(".") if node.module else []
            target = base.joinpath(*parts)
            names = [alias.name for alias in node.names]
            if target.with_suffix(".py").is_file():
                out.append((target.with_suffix(".py"), names))
            else:  # ``from . import x``: each name is a module
                out.extend((target / f"{name}.py", [name]) for name in names)
    return out


def test_no_test_module_imports_a_fixture_or_another_test_module() -> None:
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in MODULES}
    fixtures = {path: _fixtures(tree) for path, tree in trees.items()}
    wrong = []
    for path, tree in trees.items():
        for source, names in _imported(path, tree):
            where = f"{path.relative_to(TESTS)} imports from {source.relative_to(TESTS)}"
            if source.name.startswith("test_"):
                wrong.append(f"{where}: a test module")
            shared = sorted(set(names) & fixtures.get(source, set()))
            if shared:
                wrong.append(f"{where}: the fixtures {', '.join(shared)}")
    assert wrong == []


def test_fixtures_outside_test_modules_are_in_conftest_only() -> None:
    helpers = [
        str(path.relative_to(TESTS))
        for path in MODULES
        if not path.name.startswith("test_")
        and path.name != "conftest.py"
        and _fixtures(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert helpers == []


def test_the_slow_marker_is_registered_and_markers_are_strict() -> None:
    if tomllib is None:  # pragma: no cover
        return
    pyproject = tomllib.loads((TESTS.parent / "pyproject.toml").read_text(encoding="utf-8"))
    options = pyproject["tool"]["pytest"]["ini_options"]
    assert any(m.split(":")[0] == "slow" for m in options["markers"])
    assert "--strict-markers" in options["addopts"].split()
