-- For two platforms: how many values each has per metric in the dates, to say plainly where one side has none.
with pair as (
    -- exact counts inside the dates, from monthly buckets plus the rows of months cut by the range
    select platform_id, metric, sum(n_values)::bigint as n_values
    from metric_series_in_range([$platform, $rival], $from, $to)
    group by platform_id, metric
)
select c.metric, c.label as metric_label, c.family,
       coalesce(sum(n_values) filter (where platform_id = $platform), 0)::bigint as platform_values,
       coalesce(sum(n_values) filter (where platform_id = $rival), 0)::bigint as rival_values
from pair
join metric_catalogue c using (metric)
group by all
order by c.family, c.metric
