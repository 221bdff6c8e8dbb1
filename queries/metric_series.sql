-- One metric's values per platform and period, with full provenance, for the chosen competitors and dates.
-- A series (platform, unit) longer than $max_points keeps the last actual row of each of $max_points
-- equal-count buckets: real rows with their sources, never averages; shorter series come whole.
with chosen as (
    select *
    from metric_values
    where metric = $metric
      and (len($competitors) = 0 or list_contains($competitors, platform_id))
      and period_end >= $from
      and period_start <= $to
),
numbered as (
    select *,
           row_number() over (partition by platform_id, unit order by period_end, period_start, source_url) as rn,
           count(*) over (partition by platform_id, unit) as n
    from chosen
),
kept as (
    select * exclude (rn, n)
    from numbered
    where $max_points <= 0 or n <= $max_points or rn = n
       or (rn * $max_points) // n > ((rn - 1) * $max_points) // n
)
select v.platform_id, p.short_name as platform, p.name_zh as platform_zh,
       v.metric, c.label as metric_label, c.research_firm,
       v.period, v.period_start, v.period_end, v.value, v.unit,
       v.source_publisher, v.source_title, v.source_url, v.source_date, v.confidence, v.note
from kept v
join platforms p using (platform_id)
join metric_catalogue c using (metric)
order by v.platform_id, v.unit, v.period_end, v.period_start, v.source_url
