"""The layering docs/architecture.md describes, kept true: only storage/ touches the database."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SESSION_CALLS = {"get", "add", "add_all", "merge", "execute", "exec", "delete", "flush", "scalar", "scalars"}


def session_calls(path: Path) -> list[str]:
    """``session.get(…)`` and the like, as "line: call": code reading or writing rows itself."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{node.lineno}: session.{node.func.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "session"
            and node.func.attr in SESSION_CALLS]


def test_only_storage_reads_and_writes_rows():
    paths = sorted(path for package in ("bot", "flows", "renderers") for path in (ROOT / package).rglob("*.py"))
    found = {str(path.relative_to(ROOT)): calls for path in paths if (calls := session_calls(path))}
    assert found == {}


def test_the_check_finds_a_use_case_that_writes_rows_itself(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("def close(session, workshop):\n    workshop.status = 'closed'\n    session.add(workshop)\n",
                      encoding="utf-8")
    assert session_calls(sneaky) == ["3: session.add"]


def imported_packages(path: Path) -> set[str]:
    """The top-level packages a module imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    return {name.split(".")[0] for name in names}


# What each layer may not import: imports point from bot/ down to the pure layers, never back up.
FORBIDDEN = {
    "flows": {"bot", "storage", "renderers", "slack_bolt", "slack_sdk", "sqlalchemy", "sqlmodel"},
    "renderers": {"bot", "storage", "slack_bolt", "sqlalchemy", "sqlmodel"},
    "storage": {"bot", "renderers", "slack_bolt"},
}


def test_imports_point_down_from_bot_to_flows_storage_and_renderers():
    found = {str(path.relative_to(ROOT)): sorted(imported_packages(path) & forbidden)
             for package, forbidden in FORBIDDEN.items() for path in (ROOT / package).rglob("*.py")
             if imported_packages(path) & forbidden}
    assert found == {}
