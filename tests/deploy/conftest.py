"""One throwaway PostgreSQL cluster per test session, for DuckLake catalogs (tests/store/test_lake.py, tests/deploy/).

Use the `pg_cluster` fixture (a started `TempCluster`); a test that needs its own catalog calls
`lake_database(pg_cluster)` for a fresh database. Elsewhere than tests/deploy/, import the fixture:
`from tests.deploy.conftest import pg_cluster  # noqa: F401`. However many modules import it, the session
starts one cluster (kept on the pytest config) and stops it at the end.
"""

from __future__ import annotations

import itertools

import pytest

from paylens.deploy.postgres import TempCluster, postgres_available

_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster(request, tmp_path_factory) -> TempCluster:
    """A running PostgreSQL cluster on 127.0.0.1 (skipped, with the reason, where PostgreSQL is not installed)."""
    reason = postgres_available()
    if reason:
        pytest.skip(reason)
    shared = getattr(request.config, "_paylens_pg_cluster", None)  # the same cluster whichever module asks
    if shared is None:
        shared = TempCluster(tmp_path_factory.mktemp("postgres"))
        shared.start()
        request.config._paylens_pg_cluster = shared
        request.config.add_cleanup(shared.stop)
    return shared


def lake_database(cluster: TempCluster, prefix: str = "lake") -> str:
    """A fresh database in the cluster, as a `ducklake:postgres:` spec (one catalog per test)."""
    return cluster.create_database(f"{prefix}_{next(_names)}_{id(cluster) % 10_000}")
