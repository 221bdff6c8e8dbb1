-- Metric values published in a window (source date, else period end in it), with their source.
select v.platform_id, p.short_name as platform, v.metric, c.label, v.period, v.period_end, v.value, v.unit,
       v.source_publisher, v.source_date, v.source_url, v.confidence
from metric_values v
join platforms p using (platform_id)
join metric_catalogue c using (metric)
-- source_day is source_date when that is a full date (a YYYY or YYYY-MM source date never places a value in a
-- window), written by the build: two date columns to test, not 100M texts to parse (1.5 s -> see BENCHMARKS.md).
where (v.source_day between $from and $to or v.period_end between $from and $to)
  and (len($competitors) = 0 or list_contains($competitors, v.platform_id))
order by coalesce(v.source_day, v.period_end) desc, v.platform_id, v.metric
limit $limit
