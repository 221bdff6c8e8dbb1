"""The core works without the UI: importing it (and running a query) never imports streamlit."""

from __future__ import annotations

import subprocess
import sys

CORE = ["paylens", "paylens.config", "paylens.queries", "paylens.store.build", "paylens.store.intake",
        "paylens.cli.main", "paylens.charts.metrics", "paylens.charts.coverage", "paylens.csv_export",
        "paylens.signals.extract"]


def test_core_does_not_import_streamlit():
    code = ("import sys, importlib\n"
            f"for m in {CORE!r}: importlib.import_module(m)\n"
            "bad = sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.'))\n"
            "print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_ui_package_is_the_only_streamlit_user():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "paylens"
    users = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py")
                   if "import streamlit" in p.read_text(encoding="utf-8"))
    assert users and all(u.startswith("ui/") for u in users), users
