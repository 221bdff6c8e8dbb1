-- Metrics with data for the chosen competitors and dates, grouped by family for the metric picker.
with chosen as (
    select metric, platform_id, period_end
    from metric_values
    where (len($competitors) = 0 or list_contains($competitors, platform_id))
      and period_end >= $from
      and period_start <= $to
),
per_metric as (
    select metric,
           count(*) as n_values,
           count(distinct platform_id) as n_platforms,
           min(period_end) as first_period,
           max(period_end) as last_period
    from chosen
    group by metric
)
select c.metric, c.label, c.family, c.research_firm, c.unit, c.headline, c.description,
       m.n_values, m.n_platforms, m.first_period, m.last_period
from metric_catalogue c
join per_metric m using (metric)
order by c.family, c.headline desc, m.n_values desc, c.metric
