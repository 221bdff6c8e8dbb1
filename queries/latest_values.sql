-- Latest value of each headline metric per chosen platform within the dates, with its source.
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
