-- Metric values published in a window (source date, else period end in it), with their source.
select v.platform_id, p.short_name as platform, v.metric, c.label, v.period, v.period_end, v.value, v.unit,
       v.source_publisher, v.source_date, v.source_url, v.confidence
from metric_values v
join platforms p using (platform_id)
join metric_catalogue c using (metric)
-- source_date is text: YYYY, YYYY-MM or YYYY-MM-DD (checked at build). Only a full date can fall in the window, and
-- for those text order is date order: the cheap text test keeps try_cast off the other rows (120 -> 64 ms at 10M).
where ((length(v.source_date) = 10
        and v.source_date between strftime($from::date, '%Y-%m-%d') and strftime($to::date, '%Y-%m-%d')
        and try_cast(v.source_date as date) between $from and $to)
       or v.period_end between $from and $to)
  and (len($competitors) = 0 or list_contains($competitors, v.platform_id))
order by coalesce(try_cast(v.source_date as date), v.period_end) desc, v.platform_id, v.metric
limit $limit
