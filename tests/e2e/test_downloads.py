"""Downloads in a real browser: a chart's CSV holds exactly its filters' rows; the snapshot zip verifies."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

pytestmark = pytest.mark.e2e

DOWNLOAD_TIMEOUT_MS = 60_000


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _download(app, name: str) -> tuple[str, bytes]:
    """Click the first button with this name; return the file name and bytes the browser saved."""
    button = app.page.get_by_role("button", name=name).first
    button.wait_for(state="visible", timeout=DOWNLOAD_TIMEOUT_MS)
    assert button.is_enabled(), f"{name!r} is disabled on {app.page.url}"
    with app.page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
        button.click()
    download = info.value
    assert download.failure() is None, download.failure()
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_metrics_csv_has_only_the_chosen_platforms(app):
    app.open("/metrics?competitors=alipay,jd_pay", charts=1)
    assert app.errors() == []
    name, data = _download(app, "Download CSV")
    assert name.endswith(".csv") and "alipay-jd_pay" in name, name
    assert data.startswith(b"\xef\xbb\xbf"), "CSV should carry a UTF-8 BOM so Excel shows Chinese"
    rows = _rows(data)
    assert rows, "the metric CSV is empty"
    assert {r["platform_id"] for r in rows} <= {"alipay", "jd_pay"}
    assert len({r["metric"] for r in rows}) == 1, "one chart, one metric"
    assert rows[0]["metric"] in name


def test_snapshot_zip_manifest_matches_its_files(app):
    app.open("/snapshots?competitors=alipay,jd_pay&from=2016-01-01&to=2020-12-31")
    assert app.errors() == []
    name, data = _download(app, "Download snapshot (.zip)")
    assert name.endswith(".zip") and "alipay-jd_pay" in name, name

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        manifest = json.loads(zf.read("manifest.json"))
        files = {n: zf.read(n) for n in zf.namelist() if n not in ("manifest.json", "snapshot.xlsx")}

    entries = manifest["queries"]
    assert entries and {e["file"] for e in entries} == set(files), "manifest and zip list different files"
    for entry in entries:
        body = files[entry["file"]]
        assert hashlib.sha256(body).hexdigest() == entry["sha256"], f"{entry['file']}: sha256 mismatch"
        assert len(_rows(body)) == entry["rows"], f"{entry['file']}: row count mismatch"

    filters = manifest["filters"]
    assert (filters["competitors"], filters["from"], filters["to"]) == ("alipay,jd_pay", "2016-01-01", "2020-12-31")
    restore = dict(parse_qsl(urlsplit(manifest["url"]).query))
    assert (restore["competitors"], restore["from"], restore["to"]) == ("alipay,jd_pay", "2016-01-01", "2020-12-31")
    opened = app.query()
    assert (opened["competitors"], opened["from"], opened["to"]) == ("alipay,jd_pay", "2016-01-01", "2020-12-31")

    for file in ("metrics_metric_series.csv", "overview_latest_values.csv"):
        platforms = {r["platform_id"] for r in _rows(files[file])}
        assert platforms and platforms <= {"alipay", "jd_pay"}, f"{file}: {platforms}"

    data_dir = app.server.data_dir
    on_disk = {"data/" + p.relative_to(data_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
               for p in sorted(data_dir.rglob("*")) if p.is_file()}
    assert manifest["data_files"] == on_disk, "manifest's data/ hashes differ from the served data folder"
    assert manifest["build_id"] == app.server.sql("select build_id from build_info")[0][0]
