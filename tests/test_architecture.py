"""Apps depend one way: articles may import entities, entities never imports articles.

Every module of the ``entities`` package is parsed (not imported), so an
import hidden inside a function, a method or a conditional counts as much as
one at the top of the file.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = "articles"
ENTITIES_MODULES = sorted((ROOT / "entities").rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(tree: ast.AST, module: str, is_package: bool) -> list[tuple[ast.AST, list[str]]]:
    """Every import in ``tree`` with the absolute module names it may load (relative resolved)."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.append((node, [alias.name for alias in node.names]))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - (node.level - 1)]
                base = ".".join([*parent, *([base] if base else [])])
            # "from x import y" may load the module x.y: check both.
            found.append((node, [base, *(f"{base}.{alias.name}" for alias in node.names)]))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node, [node.args[0].value]))
    return found


def forbidden_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """The imports of the articles app in ``source`` (the module ``module``), by line."""
    tree = ast.parse(source)
    return [
        f"{module} line {node.lineno}: {ast.unparse(node)}"
        for node, names in sorted(
            _imports(tree, module, is_package), key=lambda found: found[0].lineno
        )
        if any(name == FORBIDDEN or name.startswith(f"{FORBIDDEN}.") for name in names)
    ]


def test_every_entities_module_is_checked():
    """The walk finds the package's modules, nested ones included (the check is not vacuous)."""
    names = {_module_name(path) for path in ENTITIES_MODULES}
    assert {"entities.models", "entities.services", "entities.services.editors"} <= names


@pytest.mark.parametrize("path", ENTITIES_MODULES, ids=_module_name)
def test_entities_module_does_not_import_articles(path):
    """No module of entities imports articles, at the top or inside a function."""
    problems = forbidden_imports(
        path.read_text(encoding="utf-8"), _module_name(path), is_package=path.stem == "__init__"
    )
    assert not problems, "entities must not import articles: " + "; ".join(problems)


@pytest.mark.parametrize(
    "source",
    [
        "import articles",
        "import articles.models as m",
        "from articles import models",
        "from articles.models import Article",
        "def f():\n    if True:\n        from articles.models import Mention",
        "class C:\n    def m(self):\n        import articles.services",
        "import importlib\nimportlib.import_module('articles.models')",
    ],
)
def test_the_check_names_module_and_line_of_any_articles_import(source):
    """An import of articles anywhere in a module is reported with its module and line."""
    line = source.count("\n") + 1
    problems = forbidden_imports(source, "entities.example")
    assert len(problems) == 1
    assert problems[0].startswith(f"entities.example line {line}: ")


@pytest.mark.parametrize(
    "source",
    [
        "from entities.models import Metric",
        "from . import articles_helpers",
        "from .services import editor_delete",
        "ARTICLE = 'articles.Article'",
        "import articles_extra",
    ],
)
def test_the_check_lets_other_imports_and_lazy_references_pass(source):
    """Lazy "articles.Article" references and names that merely start alike are fine."""
    assert forbidden_imports(source, "entities.example") == []
