-- Which metrics exist for which platform and year: counts and names, to show the gaps at a glance.
with chosen as (
    select *
    from metric_coverage
    where (len($competitors) = 0 or list_contains($competitors, platform_id))
      and year between year($from) and year($to)
      and ($family = '' or family = $family)
)
select c.platform_id, p.short_name as platform, c.year,
       count(distinct c.metric) as n_metrics,
       sum(c.n_values)::bigint as n_values,
       string_agg(distinct c.metric, ', ' order by c.metric) as metrics
from chosen c
join platforms p using (platform_id)
group by all
order by c.platform_id, c.year
