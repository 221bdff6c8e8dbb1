-- Latest value of each headline metric per chosen platform within the dates, with its source, period kind and the
-- value of the calendar period right before it (empty when that period has no value).
with chosen as (
    -- candidates: the two top rows of every month wholly inside the dates (every row of short series) ...
    select t.* exclude (month, thinned, month_min_end, month_max_start, month_rank)
    from metric_values_thin t
    join metric_catalogue c using (metric)
    where c.headline
      and (len($competitors) = 0 or list_contains($competitors, t.platform_id))
      and t.period_end >= $from
      and t.period_start <= $to
      and (not t.thinned or (t.month_min_end >= $from and t.month_max_start <= $to))
    union all by name
    -- ... and, for thinned series, every row inside the dates of a month the range cuts through
    select e.* exclude (month)
    from metric_edge_rows($competitors, $from, $to) e
    semi join (select * from metric_series_stats where thinned) s using (platform_id, metric, unit)
    join metric_catalogue c using (metric)
    where c.headline
),
ranked as (
    -- one row per platform and metric: the latest period in any unit (a metric published in two currencies
    -- shows its newest figure, in the currency it was published in; no exchange rate is invented)
    select *, period_kind(period_start, period_end, unit) as period_kind,
           row_number() over (
               partition by platform_id, metric
               order by period_end desc, source_date desc nulls last, source_url
           ) as rn
    from chosen
),
latest as (
    select *, previous_start(period_kind, period_start) as prev_start
    from ranked
    where rn = 1
),
previous as (
    -- the value of the calendar period right before, same series (unit and period kind); none when missing
    select l.platform_id, l.metric, arg_max(v.value, v.source_date) as prev_value
    from latest l
    join metric_values v
      on v.platform_id = l.platform_id and v.metric = l.metric and v.unit = l.unit
     and v.period_start = l.prev_start and v.period_end = l.period_start - 1
    group by all
),
year_before as (
    -- the same calendar period a year earlier, same series; none when missing
    select l.platform_id, l.metric, arg_max(v.value, v.source_date) as yoy_value
    from latest l
    join metric_values v
      on v.platform_id = l.platform_id and v.metric = l.metric and v.unit = l.unit
     and l.period_kind in ('year', 'half', 'quarter', 'month')
     and v.period_start = (l.period_start - interval 1 year)::date
     and v.period_end = (l.period_end - interval 1 year)::date
    group by all
)
select r.platform_id, p.short_name as platform, p.name_zh as platform_zh,
       r.metric, c.label as metric_label, c.family, r.period, r.period_kind, r.period_start, r.period_end,
       r.value, r.unit, pv.prev_value, period_label(r.period_kind, r.prev_start) as prev_period,
       yb.yoy_value, period_label(r.period_kind, (r.period_start - interval 1 year)::date) as yoy_period,
       r.source_publisher, r.source_title, r.source_url, r.source_date, r.confidence
from latest r
left join previous pv using (platform_id, metric)
left join year_before yb using (platform_id, metric)
join platforms p using (platform_id)
join metric_catalogue c using (metric)
order by c.family, r.metric, r.value desc
