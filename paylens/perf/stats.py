"""What the perf modules share: the measured view, the filter changes they cycle through, and the statistics."""

from __future__ import annotations

import math
import os
import resource
from datetime import date
from pathlib import Path

from paylens.url_state import DEFAULT_VIEW

DEFAULT_METRIC = DEFAULT_VIEW["metric"]
# Filter changes the page bench (and the browser bench) cycle through: every one a new cache key.
COMPETITOR_SETS = (
    ["alipay", "wechat_pay"],
    ["alipay", "wechat_pay", "unionpay"],
    ["alipay", "jd_pay", "douyin_pay"],
    ["alipay", "wechat_pay", "meituan_pay", "duoduo_pay"],
    ["wechat_pay", "unionpay", "jd_pay"],
    ["alipay", "lakala", "one_wallet"],
    ["alipay", "wechat_pay", "unionpay", "jd_pay", "douyin_pay"],
    ["douyin_pay", "meituan_pay"],
    ["alipay", "du_xiaoman_pay", "netsunion"],
    ["alipay", "wechat_pay", "chinaums"],
    ["jd_pay", "meituan_pay", "duoduo_pay"],
    ["alipay", "unionpay"],
)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 20 runs is the 19th fastest)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def peak_rss_mb() -> float:
    """Peak resident set size of this process (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def machine() -> dict:
    """nproc, memory, CPU model and versions, for BENCHMARKS.md."""
    import platform
    from importlib.metadata import version

    import duckdb
    import pandas

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    return {"nproc": os.cpu_count(), "memory_gib": mem_gb, "cpu": model, "python": platform.python_version(),
            "duckdb": duckdb.__version__, "streamlit": version("streamlit"), "pandas": pandas.__version__,
            "loadavg": [round(x, 2) for x in os.getloadavg()], "date": date.today().isoformat()}
