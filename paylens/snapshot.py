"""Snapshot bundles: the CSV of every chart for one set of filters, plus a verifiable manifest."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import duckdb

from paylens import queries
from paylens.csv_export import to_csv_bytes
from paylens.store.reader import build_id

# csv file -> (page, query) for every chart and table the dashboard draws.
CHARTS: tuple[tuple[str, str, str], ...] = (
    ("overview_latest_values.csv", "overview", "latest_values"),
    ("overview_coverage.csv", "overview", "coverage"),
    ("metrics_metric_series.csv", "metrics", "metric_series"),
    ("events.csv", "all", "events"),
    ("signals_heatmap.csv", "signals", "signal_heatmap"),
    ("signals_trend.csv", "signals", "signal_trend"),
    ("signals_evidence.csv", "signals", "signal_evidence"),
    ("articles_list.csv", "articles", "articles_list"),
    ("compare_metrics.csv", "compare", "compare_metrics"),
    ("compare_coverage.csv", "compare", "compare_coverage"),
    ("compare_signals.csv", "compare", "compare_signals"),
    ("compare_events.csv", "compare", "compare_events"),
)
DEFAULTS = {
    "competitors": "alipay,wechat_pay,unionpay,jd_pay,douyin_pay,meituan_pay",
    "from": "2010-01-01", "to": "2026-12-31",
    "metric": "market_share_third_party_mobile_payment_analysys",
    "signal": "traffic_focus", "platform": "alipay", "rival": "wechat_pay", "limit": "500",
}
URL_KEYS = ("competitors", "from", "to", "metric", "signal", "platform", "rival", "categories")


def sha256(data: bytes) -> str:
    """Hex sha256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def _plain(value: object) -> object:
    return ",".join(value) if isinstance(value, list | tuple) else str(value)


def restore_url(base_url: str, filters: Mapping[str, object]) -> str:
    """A dashboard link that reopens these filters."""
    query = {k: _plain(filters[k]) for k in URL_KEYS if k in filters and _plain(filters[k]) != ""}
    return f"{base_url.rstrip('/')}/?{urlencode(query, safe=',')}"


def data_hashes(data_dir: Path) -> dict[str, str]:
    """sha256 of every file in data/ except the derived store folder."""
    files = sorted(p for p in data_dir.rglob("*") if p.is_file() and "build" not in p.relative_to(data_dir).parts)
    return {"data/" + p.relative_to(data_dir).as_posix(): sha256(p.read_bytes()) for p in files}


def build_bundle(con: duckdb.DuckDBPyConnection, filters: Mapping[str, object], data_dir: Path,
                 base_url: str = "http://localhost:8501") -> bytes:
    """Zip bytes holding each chart's CSV and manifest.json (filters, URL, hashes, counts, build id)."""
    params = {**DEFAULTS, **{k: v for k, v in filters.items() if v not in (None, "")}}
    platform = str(params["platform"])
    if _plain(params.get("rival")) == platform:
        params["rival"] = "wechat_pay" if platform != "wechat_pay" else "alipay"
    buf = io.BytesIO()
    entries = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for file, page, name in CHARTS:
            query = queries.get(name)
            used = {k: params[k] for k in query.params if k in params}
            frame = queries.run(con, name, used)
            data = to_csv_bytes(frame)
            zf.writestr(file, data)
            rows = len(frame)
            entries.append({"file": file, "page": page, "query": name,
                            "params": {k: _plain(v) for k, v in used.items()},
                            "rows": rows, "sha256": sha256(data)})
        manifest = {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "filters": {k: _plain(v) for k, v in params.items()},
            "url": restore_url(base_url, params),
            "build_id": build_id(con),
            "queries": entries,
            "data_files": data_hashes(data_dir),
        }
        zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return buf.getvalue()
