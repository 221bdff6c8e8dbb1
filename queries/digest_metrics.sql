-- Metric values published in a window (source date, else period end in it), with their source.
-- source_day is source_date when that is a full date (a YYYY or YYYY-MM source date never places a value in a
-- window), written by the build. A value is in the window by its source day or by its period end: one branch per
-- day, each a one-column range that DuckDB pushes into the scan (an OR of the two is tested only after every
-- column of every row is read: 1.85 s at 100M rows), each cut to its own first $limit rows by the final order, so
-- the text columns are read for those rows alone. The first $limit of both branches are the first $limit of all;
-- a value in both comes once (union on its row id).
with chosen as not materialized (
    -- inlined into each branch (never materialized: that would copy every row), so each keeps its own pushdown
    select v.rowid as rid, v.platform_id, v.metric, v.period, v.period_end, v.value, v.unit, v.source_publisher,
           v.source_date, v.source_day, v.source_url, v.confidence
    from metric_values v
    where len($competitors) = 0 or list_contains($competitors, v.platform_id)
),
by_source as (
    select *
    from chosen
    where source_day between $from and $to
    order by source_day desc, platform_id, metric, period_end desc, period, source_url
    limit $limit
),
by_period as (
    select *
    from chosen
    where period_end between $from and $to
    order by coalesce(source_day, period_end) desc, platform_id, metric, period_end desc, period, source_url
    limit $limit
)
select v.platform_id, p.short_name as platform, v.metric, c.label, v.period, v.period_end, v.value, v.unit,
       v.source_publisher, v.source_date, v.source_url, v.confidence
from (select * from by_source union select * from by_period) v
join platforms p using (platform_id)
join metric_catalogue c using (metric)
order by coalesce(v.source_day, v.period_end) desc, v.platform_id, v.metric, v.period_end desc, v.period,
         v.source_url
limit $limit
