"""The package's shape: no import circles between its files (a circle hidden inside a
function is still a circle), and no file too long to find one's way in."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "gdviz"
#: The longest a file of the package may be.
MOST_LINES = 600


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set) -> set:
    """Every module of the package ``path`` imports, at any depth of its code."""
    here = _module(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules
                          else target)
    return {name for name in found if name in modules and name != here}


def test_no_two_files_of_the_package_import_each_other_even_through_others():
    files = {_module(path): path for path in PACKAGE.rglob("*.py")}
    modules = set(files)
    edges = {name: _imports(path, modules) for name, path in files.items()}
    # A package's __init__ gathering its modules is not a circle with them.
    edges = {name: {t for t in targets if not (t == name.rsplit(".", 1)[0] or
                                               name.startswith(t + "."))}
             for name, targets in edges.items()}
    circles, index, low, stack, on, counter = [], {}, {}, [], set(), [0]

    def visit(node):  # Tarjan's strongly connected components
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for name in sorted(edges):
        if name not in index:
            visit(name)
    assert circles == []


def test_no_file_of_the_package_is_over_600_lines():
    long = {str(path.relative_to(PACKAGE)): count for path in PACKAGE.rglob("*.py")
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES}
    assert long == {}
