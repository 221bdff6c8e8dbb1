-- Metric values published in a window (source date, else period end in it), with their source.
select v.platform_id, p.short_name as platform, v.metric, c.label, v.period, v.period_end, v.value, v.unit,
       v.source_publisher, v.source_date, v.source_url, v.confidence
from metric_values v
join platforms p using (platform_id)
join metric_catalogue c using (metric)
where (try_cast(v.source_date as date) between $from and $to or v.period_end between $from and $to)
  and (len($competitors) = 0 or list_contains($competitors, v.platform_id))
order by coalesce(try_cast(v.source_date as date), v.period_end) desc, v.platform_id, v.metric
limit $limit
