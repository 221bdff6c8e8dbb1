-- One metric's values per platform and period, with provenance, period kind and real period-over-period changes.
-- A series is (platform, unit, period kind): values of different lengths or units are never one line.
-- A series longer than $max_points keeps the last actual row of each of $max_points equal-count buckets: real
-- rows with their sources, never averages; shorter series come whole. prev_* and yoy_* compare only with the
-- calendar period right before (or a year before) of the same series; when that period has no value, the
-- period is named and the value left empty, never taken from an older period.
with chosen as (
    select *, period_kind(period_start, period_end, unit) as period_kind
    from metric_values
    where metric = $metric
      and (len($competitors) = 0 or list_contains($competitors, platform_id))
      and period_end >= $from
      and period_start <= $to
),
numbered as (
    select *,
           row_number() over (partition by platform_id, unit, period_kind
                              order by period_end, period_start, source_url) as rn,
           count(*) over (partition by platform_id, unit, period_kind) as n
    from chosen
),
kept as (
    select * exclude (rn, n),
           previous_start(period_kind, period_start) as prev_start,
           (period_start - interval 1 year)::date as yoy_start
    from numbered
    where $max_points <= 0 or n <= $max_points or rn = n
       or (rn * $max_points) // n > ((rn - 1) * $max_points) // n
),
calendar as (
    -- every value of the metric that a kept row may compare with (one per series and period: newest source)
    select platform_id, unit, period_kind, period_start, period_end, value
    from (
        select *, period_kind(period_start, period_end, unit) as period_kind
        from metric_values
        where metric = $metric
          and (len($competitors) = 0 or list_contains($competitors, platform_id))
    )
    where period_kind in ('year', 'half', 'quarter', 'month')
    qualify row_number() over (partition by platform_id, unit, period_kind, period_start, period_end
                               order by source_date desc nulls last, source_url) = 1
)
select v.platform_id, p.short_name as platform, p.name_zh as platform_zh,
       v.metric, c.label as metric_label, c.research_firm,
       v.period, v.period_kind, v.period_start, v.period_end, v.value, v.unit,
       period_label(v.period_kind, v.prev_start) as prev_period,
       pv.value as prev_value,
       round(v.value - pv.value, 6) as change,
       period_label(v.period_kind, v.yoy_start) as yoy_period,
       yv.value as yoy_value,
       round(v.value - yv.value, 6) as yoy_change,
       v.source_publisher, v.source_title, v.source_url, v.source_date, v.confidence, v.note
from kept v
join platforms p using (platform_id)
join metric_catalogue c using (metric)
left join calendar pv
  on pv.platform_id = v.platform_id and pv.unit = v.unit and pv.period_kind = v.period_kind
 and pv.period_start = v.prev_start and pv.period_end = v.period_start - 1
left join calendar yv
  on yv.platform_id = v.platform_id and yv.unit = v.unit and yv.period_kind = v.period_kind
 and yv.period_start = v.yoy_start and v.period_kind in ('year', 'half', 'quarter', 'month')
 and yv.period_end = (v.period_end - interval 1 year)::date
order by v.platform_id, v.unit, v.period_kind, v.period_end, v.period_start, v.source_url
