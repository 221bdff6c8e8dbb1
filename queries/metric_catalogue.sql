-- Metrics with data for the chosen competitors and dates, grouped by family for the metric picker.
with per_series as (
    -- exact per-series counts inside the dates, from monthly buckets plus the rows of months cut by the range
    select *
    from metric_series_in_range($competitors, $from, $to)
),
per_metric as (
    select metric,
           sum(n_values)::bigint as n_values,
           count(distinct platform_id) as n_platforms,
           min(first_end) as first_period,
           max(last_end) as last_period
    from per_series
    group by metric
)
select c.metric, c.label, c.family, c.research_firm, c.unit, c.headline, c.description,
       m.n_values, m.n_platforms, m.first_period, m.last_period
from metric_catalogue c
join per_metric m using (metric)
order by c.family, c.headline desc, m.n_values desc, c.metric
