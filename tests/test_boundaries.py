"""Architecture guards: each third-party library in one module; graph never imports api."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OWNERS = {
    "spacy": {"graph/nlp.py"},
    "dateparser": {"graph/timex.py"},
    "networkx": {"graph/analysis.py"},
    # The SPARQL protocol endpoint streams raw pyoxigraph results (row caps, killable read-only
    # workers) and the SPARQL-server store checks and parses queries and results with it;
    # everything else reaches a store through graph/store.py or graph/store_remote.py.
    "pyoxigraph": {"graph/store.py", "graph/store_terms.py", "graph/store_remote.py", "api/sparql.py", "api/sparql_formats.py",
                   "api/sparql_worker.py"},
    "pyshacl": {"graph/validate.py"},
}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


SOURCES = sorted(p for folder in ("graph", "api") for p in (ROOT / folder).glob("*.py"))


@pytest.mark.parametrize("library", sorted(OWNERS))
def test_library_imported_in_its_module_only(library):
    users = {str(p.relative_to(ROOT)) for p in SOURCES if library in imports(p)}
    assert users and users <= OWNERS[library], users


def test_graph_never_imports_api_or_fastapi():
    for path in (ROOT / "graph").glob("*.py"):
        assert not imports(path) & {"api", "fastapi", "starlette", "uvicorn"}, path
