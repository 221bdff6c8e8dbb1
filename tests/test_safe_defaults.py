"""Safe defaults: Streamlit's config keeps its protections on, and the store connection cannot reach files."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import duckdb
import pytest

from paylens import queries
from paylens.config import PROJECT_ROOT
from paylens.store.reader import StoreHandle, open_store

CONFIG = PROJECT_ROOT / ".streamlit" / "config.toml"
STREAMLIT = Path(sys.executable).with_name("streamlit")


@pytest.fixture(scope="module")
def config() -> dict:
    with CONFIG.open("rb") as fh:
        return tomllib.load(fh)


def _flat(cfg: dict) -> dict[str, object]:
    return {f"{section}.{key}": value for section, table in cfg.items() for key, value in table.items()}


def test_security_settings(config):
    server, client = config["server"], config["client"]
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True
    assert isinstance(server["maxUploadSize"], int) and 1 <= server["maxUploadSize"] <= 5  # MB
    assert server["headless"] is True
    assert client["showErrorDetails"] == "none"  # generic messages in the browser, details only in the log
    assert config["browser"]["gatherUsageStats"] is False
    # Nothing that opens the app up further may creep in.
    flat = _flat(config)
    assert flat.get("server.enableAgentApi", False) is False
    assert flat.get("server.enableStaticServing", False) is False
    assert "*" not in flat.get("server.corsAllowedOrigins", [])
    assert flat.get("server.xsrfCookieSameSite", "lax") != "none"
    assert flat.get("global.developmentMode", False) is False


def test_every_key_is_a_streamlit_option_with_a_valid_value(config):
    from streamlit import config as st_config

    options = st_config.get_config_options()
    flat = _flat(config)
    unknown = sorted(k for k in flat if k not in options)
    assert unknown == []
    for key, value in flat.items():
        default = options[key].default_val
        if isinstance(default, bool) or default is None:
            continue
        assert isinstance(value, type(default)), (key, value, default)
    assert flat["client.showErrorDetails"] in ("full", "stacktrace", "type", "none")
    assert flat["client.toolbarMode"] in ("auto", "developer", "viewer", "minimal")
    assert flat.get("theme.font", "sans-serif") in ("sans-serif", "serif", "monospace")


def test_streamlit_itself_reads_the_settings():
    """`streamlit config show` run from the repo: the values above are the ones in force."""
    shown = subprocess.run([str(STREAMLIT), "config", "show"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                           timeout=120)
    assert shown.returncode == 0, shown.stderr
    effective = {}
    section = ""
    for line in shown.stdout.splitlines():
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif line and not line.startswith("#") and " = " in line:
            key, value = line.split(" = ", 1)
            effective[f"{section}.{key}"] = value
    assert effective["server.enableXsrfProtection"] == "true"
    assert effective["server.enableCORS"] == "true"
    assert effective["server.maxUploadSize"] == "5"
    assert effective["server.headless"] == "true"
    assert effective["client.showErrorDetails"] == '"none"'
    assert effective["browser.gatherUsageStats"] == "false"


# ---- the dashboard's store connection ------------------------------------------------------------------

FORBIDDEN = {
    "read_csv of /etc/passwd": "select * from read_csv('/etc/passwd')",
    "read_text of /etc/passwd": "select * from read_text('/etc/passwd')",
    "copy to a file": "copy (select * from platforms) to '{tmp}/leak.csv'",
    "export database": "export database '{tmp}/dump'",
    "attach another file": "attach '{tmp}/other.duckdb' as other",
    "insert into the store": "insert into metric_values select * from metric_values limit 1",
    "create a table in the store": "create table store.main.evil as select 1 as x",
    "drop a store table": "drop table store.main.metric_values",
    "switch file access back on": "set enable_external_access = true",
    "unlock the configuration": "set lock_configuration = false",
    "load an extension": "load httpfs",
    "install an extension": "install httpfs",
}


@pytest.mark.parametrize("via", ["open_store", "StoreHandle cursor"])
@pytest.mark.parametrize("name", list(FORBIDDEN), ids=list(FORBIDDEN))
def test_store_connection_is_read_only_without_file_access(fixture_store, tmp_path, name, via):
    before = fixture_store.read_bytes()
    con = open_store(fixture_store) if via == "open_store" else StoreHandle(fixture_store).current()[0].cursor()
    try:
        with pytest.raises(duckdb.Error):
            con.execute(FORBIDDEN[name].format(tmp=tmp_path))
        assert list(tmp_path.iterdir()) == []  # nothing was written
        assert len(queries.run(con, "platforms")) > 0  # and the store still answers
    finally:
        con.close()
    assert fixture_store.read_bytes() == before


def test_open_store_coexists_with_other_readers_of_the_same_file(fixture_store):
    """Another plain read-only connection in the process (tests, tools) must not break the dashboard's."""
    other = duckdb.connect(str(fixture_store), read_only=True)
    try:
        con = open_store(fixture_store)
        assert con.execute("select count(*) from platforms").fetchone() == other.execute(
            "select count(*) from platforms").fetchone()
        con.close()
    finally:
        other.close()


def _make_run_command(*overrides: str) -> str:
    """The streamlit line `make run` would execute (make -n: printed, not run)."""
    env = {**os.environ, "HOST": "my-machine.example"}  # tcsh exports HOST: it must not open the dashboard up
    out = subprocess.run(["make", "-n", "run", *overrides], cwd=PROJECT_ROOT, capture_output=True, text=True,
                         timeout=60, check=True, env=env).stdout
    (line,) = [ln for ln in out.splitlines() if "streamlit run" in ln]
    return line


@pytest.mark.skipif(subprocess.run(["which", "make"], capture_output=True).returncode != 0, reason="needs make")
def test_make_run_listens_on_this_machine_only_unless_told_otherwise():
    assert "--server.address 127.0.0.1 " in _make_run_command()
    assert "--server.address 0.0.0.0 " in _make_run_command("HOST=0.0.0.0")


def test_plain_streamlit_run_listens_on_this_machine_only():
    """`streamlit run dashboard.py` without make reads .streamlit/config.toml: loopback, not every interface."""
    import tomllib

    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
