"""Tasks import services, never the reverse: no module doing the work imports a tasks
module, not even inside a function. Work is queued by task name (dsar.jobs), and every
name queued is a registered task."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
APPS = ("dsar", "exports", "identity")


def modules() -> list[tuple[str, ast.Module]]:
    """(dotted name, syntax tree); a package is named by its __init__ (``x.__init__``)."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found.append((name, ast.parse(path.read_text())))
    return found


def imported(module: str, tree: ast.Module) -> set[str]:
    """Every module imported anywhere in the tree (function bodies too), made absolute."""
    package = module.rsplit(".", 1)[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def is_tasks(name: str) -> bool:
    return name.rsplit(".", 1)[-1].endswith("tasks")


def may_import_tasks(name: str) -> bool:
    """Tasks (a task may queue another) and views that start a task for a request."""
    last = name.rsplit(".", 1)[-1]
    return is_tasks(name) or last.endswith("views")


def test_no_services_module_imports_a_tasks_module():
    offenders = sorted(
        f"{name} imports {target}"
        for name, tree in modules()
        if not may_import_tasks(name)
        for target in imported(name, tree)
        if is_tasks(target) and target.split(".")[0] in APPS
    )
    assert offenders == []


def test_the_check_sees_an_import_hidden_in_a_function():
    tree = ast.parse("def f():\n    from .tasks import send_email\n")
    assert "dsar.tasks" in imported("dsar.emails", tree)


def queued_names() -> list[str]:
    names = []
    for _, tree in modules():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", ""))
                in {"queue", "queue_after_commit"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.append(node.args[0].value)
    return names


@pytest.mark.parametrize("name", sorted(set(queued_names())))
def test_every_task_queued_by_name_is_registered(name):
    import dsar.tasks  # noqa: F401  (what a worker loads: the apps' tasks modules)
    import exports.tasks  # noqa: F401
    import identity.tasks  # noqa: F401

    assert name in celery_app.tasks
