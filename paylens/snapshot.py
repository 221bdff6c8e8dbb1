"""Snapshot bundles: the CSV of every chart for one set of filters, plus a verifiable manifest."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import pandas as pd

from paylens import queries
from paylens.csv_export import to_csv_bytes
from paylens.exports import to_xlsx_bytes
from paylens.store.reader import build_id, lake_snapshot
from paylens.url_state import DEFAULT_VIEW, VIEW_KEYS, compare_pair, view_params

# csv file -> (page, query) for every chart and table the dashboard draws.
CHARTS: tuple[tuple[str, str, str], ...] = (
    ("overview_latest_values.csv", "overview", "latest_values"),
    ("overview_coverage.csv", "overview", "coverage"),
    ("metrics_metric_series.csv", "metrics", "metric_series"),
    ("events.csv", "all", "events"),
    ("signals_heatmap.csv", "signals", "signal_heatmap"),
    ("signals_trend.csv", "signals", "signal_trend"),
    ("signals_evidence.csv", "signals", "signal_evidence"),
    ("signals_threats.csv", "signals", "threat_matrix"),
    ("signals_corrections.csv", "signals", "hit_corrections"),
    ("articles_list.csv", "articles", "articles_list"),
    ("compare_metrics.csv", "compare", "compare_metrics"),
    ("compare_coverage.csv", "compare", "compare_coverage"),
    ("compare_signals.csv", "compare", "compare_signals"),
    ("compare_events.csv", "compare", "compare_events"),
    ("impact_periods.csv", "impact", "impact_periods"),
)
# The names a snapshot takes: the view's URL parameters (the same link reopens the same files).
ACCEPTED = VIEW_KEYS
WORKBOOK = "snapshot.xlsx"
# The series Story vs numbers sets signals against when the view names none (the page picks its own default
# only when the platform has no values of it).
DEFAULT_SERIES = "market_share_third_party_mobile_payment_iresearch"
EVIDENCE_LIMIT = 500  # the Signals page lists at most this many sentences; its CSV and the snapshot likewise


def query_params(name: str, view: Mapping[str, object]) -> dict[str, object]:
    """The parameters a named query gets for a view, exactly as its page passes them.

    The view speaks the URL's language (focus, platform, rival); each query has its own names, so this is the
    one place that translates, for the pages and the snapshot alike.
    """
    full = {**DEFAULT_VIEW, **{k: v for k, v in view.items() if v not in (None, "")}}
    competitors = queries.coerce("competitors", full["competitors"])
    platform, rival = compare_pair(competitors, str(full["platform"]), str(full["rival"]))
    if rival == platform:
        rival = compare_pair([platform])[1]
    shared = {"competitors": competitors, "from": full["from"], "to": full["to"]}
    candidates = {
        **shared, "categories": full["categories"], "metric": full["metric"], "family": full["family"],
        "signal": full["signal"], "limit": EVIDENCE_LIMIT,
        "platform": full["focus"] if name == "signal_evidence" else platform, "rival": rival,
    }
    if name == "impact_periods":
        candidates.update(platform=str(full["subject"]) or (competitors or ["alipay"])[0],
                          metric=str(full["series"]) or DEFAULT_SERIES,
                          signals=queries.coerce("signals", full["themes"]) or [DEFAULT_VIEW["themes"]])
    return {k: candidates[k] for k in queries.get(name).params if k in candidates}


def extra_metrics(view: Mapping[str, object]) -> list[str]:
    """Further series of the metric's family drawn beside it (`with=`), without the main one."""
    main = str(view.get("metric") or DEFAULT_VIEW["metric"])
    return [m for m in queries.coerce("competitors", view.get("with") or "") if m != main]


def chart_frame(run: Callable[[str, dict[str, object]], pd.DataFrame], name: str,
                view: Mapping[str, object]) -> pd.DataFrame:
    """The rows behind one chart: its named query for the view (the metric chart adds its `with` series).

    `run(name, params)` runs a named query: the store's directly here, the dashboard's cache on the pages.
    """
    frame = run(name, query_params(name, view))
    if name == "metric_series":
        more = [run(name, query_params(name, {**view, "metric": m})) for m in extra_metrics(view)]
        frame = pd.concat([frame, *more], ignore_index=True) if more else frame
    return frame


def sha256(data: bytes) -> str:
    """Hex sha256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def _plain(value: object) -> object:
    return ",".join(value) if isinstance(value, list | tuple) else str(value)


def restore_url(base_url: str, view: Mapping[str, object], page: str = "snapshots") -> str:
    """A dashboard link that reopens this view (on the Snapshots page by default, which takes all of it)."""
    query = view_params({k: _plain(v) for k, v in view.items()})
    return f"{base_url.rstrip('/')}/{page}?{urlencode(query, safe=',')}"


def data_hashes(data_dir: Path) -> dict[str, str]:
    """sha256 of every file in data/ except the derived store folder."""
    files = sorted(p for p in data_dir.rglob("*") if p.is_file() and "build" not in p.relative_to(data_dir).parts)
    return {"data/" + p.relative_to(data_dir).as_posix(): sha256(p.read_bytes()) for p in files}


def build_bundle(con: duckdb.DuckDBPyConnection, filters: Mapping[str, object], data_dir: Path,
                 base_url: str = "http://localhost:8501") -> bytes:
    """Zip bytes holding each chart's CSV and manifest.json (view, restore link, hashes, counts, build id)."""
    view = {**DEFAULT_VIEW, **{k: _plain(v) for k, v in filters.items() if v not in (None, "")}}
    buf = io.BytesIO()
    entries = []
    sheets: dict[str, pd.DataFrame] = {}
    created = datetime.now(UTC).isoformat(timespec="seconds")
    url, build = restore_url(base_url, view), build_id(con)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for file, page, name in CHARTS:
            used = query_params(name, view)
            frame = chart_frame(lambda n, p: queries.run(con, n, p), name, view)
            data = to_csv_bytes(frame)
            zf.writestr(file, data)
            sheets[file.removesuffix(".csv")] = frame
            entries.append({"file": file, "page": page, "query": name,
                            "params": {k: _plain(v) for k, v in used.items()},
                            "rows": len(frame), "sha256": sha256(data)})
        # The same rows as one workbook, a sheet per chart (a convenience: the CSVs are the record).
        workbook = to_xlsx_bytes(sheets, {"view": url, "build id": build, "created at (UTC)": created})
        zf.writestr(WORKBOOK, workbook)
        manifest = {
            "created_at": created,
            "filters": view_params(view),
            "url": url,
            "build_id": build,
            "queries": entries,
            "workbook": {"file": WORKBOOK, "sheets": list(sheets), "sha256": sha256(workbook)},
            "data_files": data_hashes(data_dir),
        }
        if (snapshot_id := lake_snapshot(con)) is not None:  # a DuckLake store: which snapshot these rows are from
            manifest["lake_snapshot"] = snapshot_id
        zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return buf.getvalue()
