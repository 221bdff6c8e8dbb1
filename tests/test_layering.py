"""The layering contract, checked on the source (every import statement, at module level or inside a function).

- the core (paylens/* except ui/, perf/ and cli/) and paylens/signals/ never import streamlit, paylens.ui,
  paylens.perf or pages; the CLI never imports streamlit or paylens.ui (only perf, which may, does so);
- paylens/charts/ never imports paylens.store;
- paylens.perf is imported by nothing but paylens/perf/ and paylens/cli/ (not by the core, ui, pages or the frame);
- no import cycles among paylens modules.

`violations()` is pure (module name -> source text), so the self-tests below feed it made-up modules that break
each rule and check it says so.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_CORE = ("streamlit", "paylens.ui", "paylens.perf", "pages")
FORBIDDEN_IN_CLI = ("streamlit", "paylens.ui")
PERF_USERS = ("paylens.perf", "paylens.cli")


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _is_core(module: str) -> bool:
    return _within(module, "paylens") and not any(
        _within(module, p) for p in ("paylens.ui", "paylens.perf", "paylens.cli"))


def project_sources(root: Path = ROOT) -> dict[str, str]:
    """Every module of the package, every page and the frame: dotted name -> source text."""
    files = [*sorted((root / "paylens").rglob("*.py")), *sorted((root / "pages").glob("*.py")), root / "dashboard.py"]
    out = {}
    for path in files:
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path.read_text(encoding="utf-8")
    return out


def imports_of(module: str, source: str, known: set[str], is_package: bool = False) -> set[str]:
    """Dotted names a module imports (anywhere in it); `from pkg import mod` names the submodule when it is one."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known)
    return found


def import_graph(sources: dict[str, str]) -> dict[str, set[str]]:
    """module -> every name it imports (project modules and third-party alike)."""
    known = set(sources)
    packages = {m for m in known if any(k.startswith(m + ".") for k in known)}
    return {m: imports_of(m, text, known, m in packages) for m, text in sources.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one paylens module (or a module importing itself), Tarjan."""
    nodes = sorted(m for m in graph if _within(m, "paylens"))
    edges = {m: sorted(t for t in graph[m] if t in graph and _within(t, "paylens")) for m in nodes}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1 or v in edges[v]:
                found.append(sorted(group))

    for v in nodes:
        if v not in index:
            visit(v)
    return found


def violations(sources: dict[str, str]) -> list[str]:
    """Every break of the contract, one line each (empty when the layering holds)."""
    graph = import_graph(sources)
    out = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            if _is_core(module) and any(_within(target, f) for f in FORBIDDEN_IN_CORE):
                out.append(f"{module} imports {target}: the core and signals never import the UI, perf or pages")
            if _within(module, "paylens.cli") and any(_within(target, f) for f in FORBIDDEN_IN_CLI):
                out.append(f"{module} imports {target}: the CLI never imports streamlit or paylens.ui")
            if _within(module, "paylens.charts") and _within(target, "paylens.store"):
                out.append(f"{module} imports {target}: charts never import the store")
            if _within(target, "paylens.perf") and not any(_within(module, p) for p in PERF_USERS):
                out.append(f"{module} imports {target}: only paylens.perf and the CLI import perf")
    out += [f"import cycle: {' -> '.join(group)}" for group in cycles(graph)]
    return out


# ------------------------------------------------------------------------------------------------ the project

def test_the_project_keeps_the_layering():
    sources = project_sources()
    assert {"paylens.queries", "paylens.signals.extract", "paylens.charts.metrics", "paylens.perf.queries",
            "paylens.cli.main", "paylens.cli.app"} <= set(sources)  # the scan sees the real files
    assert violations(sources) == []


def test_core_does_not_import_streamlit_at_run_time():
    """Importing the core, the signals and every CLI module (perf commands included) loads no streamlit."""
    core = ["paylens", "paylens.config", "paylens.queries", "paylens.store.build", "paylens.store.intake",
            "paylens.cli.main", "paylens.charts.metrics", "paylens.charts.coverage", "paylens.csv_export",
            "paylens.signals.extract", "paylens.snapshot", "paylens.digest"]
    code = ("import sys, importlib\n"
            f"for m in {core!r}: importlib.import_module(m)\n"
            "bad = sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.'))\n"
            "print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == ""


# ------------------------------------------------------------------------------------------- self-tests

CLEAN = {
    "paylens": "",
    "paylens.store": "",
    "paylens.store.reader": "import duckdb\n",
    "paylens.charts": "",
    "paylens.charts.metrics": "import plotly.graph_objects as go\nfrom paylens.config import settings\n",
    "paylens.config": "",
    "paylens.ui": "",
    "paylens.ui.filters": "import streamlit as st\nfrom paylens.store.reader import open_store\n",
    "paylens.perf": "",
    "paylens.perf.queries": "def f():\n    from paylens.ui import filters\n",
    "paylens.cli": "",
    "paylens.cli.app": "import click\n",
    "paylens.cli.main": "from paylens.cli.app import cli\nfrom paylens.perf import queries\n",
    "pages.metrics": "import streamlit as st\nfrom paylens.ui.filters import x\n",
}


def test_self_test_a_clean_layering_passes():
    assert violations(CLEAN) == []


def test_self_test_each_rule_fails_on_a_violating_module():
    cases = {
        "paylens.store.reader": ("import streamlit as st\n", "paylens.store.reader imports streamlit"),
        "paylens.config": ("def f():\n    from paylens.ui.filters import x\n", "paylens.config imports paylens.ui"),
        "paylens.charts.metrics": ("from paylens.store import reader\n",
                                   "paylens.charts.metrics imports paylens.store.reader: charts"),
        "paylens.signals.extract": ("from ..perf import queries\n", "paylens.signals.extract imports paylens.perf"),
        "paylens.store": ("import pages.metrics\n", "paylens.store imports pages.metrics"),
        "pages.metrics": ("from paylens.perf.queries import run\n", "pages.metrics imports paylens.perf.queries"),
        "paylens.ui.filters": ("import paylens.perf.queries\n", "paylens.ui.filters imports paylens.perf.queries"),
        "paylens.cli.app": ("import streamlit\n", "paylens.cli.app imports streamlit: the CLI"),
        "paylens.perf.queries": ("def f():\n    from paylens.cli.main import cli\n", "import cycle: paylens.cli.main"),
    }
    for module, (text, expected) in cases.items():
        found = violations({**CLEAN, module: text})
        assert any(line.startswith(expected) for line in found), (module, found)


def test_self_test_a_cycle_through_a_function_level_import_is_found():
    bad = {**CLEAN, "paylens.store.a": "from paylens.store import b\n",
           "paylens.store.b": "def later():\n    import paylens.store.a\n"}
    assert violations(bad) == ["import cycle: paylens.store.a -> paylens.store.b"]
