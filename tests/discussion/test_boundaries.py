"""The discussion space knows no domain: it imports no app of the platform (so
no app that imports it is imported back: no cycle), and it takes the user
model from ``settings.AUTH_USER_MODEL`` / ``get_user_model()``."""

import ast
import os
import re
import subprocess
import sys

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model

from tests.discussion.live import ROOT

DISCUSSION = ROOT / "network" / "discussion"
# The platform's apps: each may use the discussion space, never the reverse.
APPS = ("members", "events", "mentoring", "exchanges", "home", "api", "embeds")
# "members.User", apps.get_model("events", ...): an app reached by name.
NAMED_MODEL = re.compile(rf"^({'|'.join(APPS)})(\.[A-Za-z_]\w*)+$")


def _module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _path_of(module):
    """The file of a project module (``None`` for a library or the stdlib)."""
    base = ROOT.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports(path):
    """Every module ``path`` imports, at module level or inside a function."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _module_name(path)
                package = package if path.name == "__init__.py" else package.rpartition(".")[0]
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            yield module
            # ``from network.discussion import services`` imports the submodule.
            yield from (f"{module}.{alias.name}" for alias in node.names)


def _discussion_files():
    return sorted(DISCUSSION.rglob("*.py"))


def _reach(start_files):
    """``{module: chain}`` for every project module the files reach, through
    project modules (the network helpers included), with the import chain."""
    seen, queue = {}, [(path, (_module_name(path),)) for path in start_files]
    while queue:
        path, chain = queue.pop()
        for module in _imports(path):
            target = _path_of(module)
            if target is None or module in seen:
                continue
            seen[module] = (*chain, module)
            queue.append((target, seen[module]))
    return seen


def test_discussion_imports_no_app_of_the_platform_even_indirectly():
    reached = _reach(_discussion_files())
    leaks = [" -> ".join(chain) for module, chain in reached.items() if module.split(".")[0] in APPS]
    assert not leaks, "\n".join(leaks)
    # The walk does follow the project's imports (a broken walk would pass anything).
    assert "network.discussion.models" in reached and "network.permissions" in reached


def test_discussion_names_no_model_of_an_app():
    named = []
    for path in _discussion_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and NAMED_MODEL.match(node.value)
            ):
                named.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert not named, "\n".join(named)


def test_the_import_walk_catches_an_app_imported_inside_a_function(tmp_path):
    # The same check on a module that imports the user model the way services.py used to.
    module = tmp_path / "leaky.py"
    module.write_text(
        "def author(pk):\n    from members.models import User\n\n    return User.objects.get(pk=pk)\n"
    )
    assert "members.models" in set(_imports(module))


def test_no_import_cycle_between_discussion_and_the_apps():
    """The apps import the discussion space (they own rooms); nothing it reaches
    belongs to any of them, so no chain of imports comes back to it."""
    app_files = [path for app in APPS for path in (ROOT / app).rglob("*.py")]
    users = {
        _module_name(path).split(".")[0]
        for path in app_files
        if any(module.startswith("network.discussion") for module in _imports(path))
    }
    assert {"members", "events", "mentoring", "exchanges"} <= users
    reached = {module.split(".")[0] for module in _reach(_discussion_files())}
    assert not users & reached


def test_discussion_imports_first_in_a_fresh_interpreter_and_pulls_in_no_app():
    """Imported before anything else of the apps (beyond the models and ready()
    hooks ``django.setup`` loads), every module of the discussion space loads and
    brings in no module of the apps."""
    modules = sorted(
        _module_name(path)
        for path in _discussion_files()
        if "migrations" not in path.parts and "management" not in path.parts
    )
    script = (
        "import importlib, sys, django\n"
        "django.setup()\n"
        f"apps = {APPS!r}\n"
        "before = {m for m in sys.modules if m.split('.')[0] in apps}\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "after = {m for m in sys.modules if m.split('.')[0] in apps}\n"
        "print(sorted(after - before))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "network.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    "field",
    [
        pytest.param(field, id=f"{model.__name__}.{field.name}")
        for model in apps.get_app_config("discussion").get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is get_user_model()
    ],
)
def test_every_link_to_a_user_follows_auth_user_model(field):
    assert field.swappable_setting == "AUTH_USER_MODEL"
    assert field.related_model._meta.label == settings.AUTH_USER_MODEL


def test_the_migrations_name_the_user_model_by_its_setting():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    migrations = {key: m for key, m in loader.disk_migrations.items() if key[0] == "discussion"}
    assert ("discussion", "0006_room_visibility") in migrations
    for (_app, name), migration in migrations.items():
        for dependency in migration.dependencies:
            # Another app only through the swappable user model (``swappable_dependency``).
            assert (
                dependency[0] == "discussion"
                or getattr(dependency, "setting", None) == settings.AUTH_USER_MODEL
            ), (
                name,
                dependency,
            )
        text = (DISCUSSION / "migrations" / f"{name}.py").read_text()
        assert not re.search(r"\bto=['\"](?!discussion\.)", text), name  # to=settings.AUTH_USER_MODEL only


def test_discussion_code_takes_the_user_model_from_get_user_model():
    """No module binds a user class at import time: code reads ``get_user_model()``
    when it runs, so it follows ``AUTH_USER_MODEL``."""
    bound = []
    for path in _discussion_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and any(alias.name == "User" for alias in node.names):
                bound.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bound, bound
    assert "get_user_model" in (DISCUSSION / "services.py").read_text()
