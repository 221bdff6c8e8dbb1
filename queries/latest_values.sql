-- Latest value of each headline metric per chosen platform within the dates, with its source.
with chosen as (
    select v.*
    from metric_values v
    join metric_catalogue c using (metric)
    where c.headline
      and (len($competitors) = 0 or list_contains($competitors, v.platform_id))
      and v.period_end >= $from
      and v.period_start <= $to
),
ranked as (
    select *,
           row_number() over (
               partition by platform_id, metric, unit
               order by period_end desc, source_date desc nulls last, source_url
           ) as rn,
           lead(value) over (
               partition by platform_id, metric, unit
               order by period_end desc, source_date desc nulls last, source_url
           ) as prev_value,
           lead(period) over (
               partition by platform_id, metric, unit
               order by period_end desc, source_date desc nulls last, source_url
           ) as prev_period
    from chosen
)
select r.platform_id, p.short_name as platform, p.name_zh as platform_zh,
       r.metric, c.label as metric_label, c.family, r.period, r.period_end, r.value, r.unit, r.prev_value, r.prev_period,
       r.source_publisher, r.source_title, r.source_url, r.source_date, r.confidence
from ranked r
join platforms p using (platform_id)
join metric_catalogue c using (metric)
where r.rn = 1
order by c.family, r.metric, r.value desc
