-- Every metric series (same metric id, so same research firm and definition) where both platforms have data.
-- Long daily series (over 500 rows) come as the latest actual row of each month; short series come whole.
with pair as (
    select t.* exclude (month, thinned, month_min_end, month_max_start, month_rank)
    from metric_values_thin t
    where t.platform_id in ($platform, $rival)
      and (not t.thinned or t.month_rank = 1)
      and t.period_end >= $from
      and t.period_start <= $to
      and (not t.thinned or (t.month_min_end >= $from and t.month_max_start <= $to))
    union all by name
    -- a month of a long series cut by the date range: its latest row inside the range
    select * exclude (month, rn)
    from (
        select e.*,
               row_number() over (
                   partition by e.platform_id, e.metric, e.unit, e.month
                   order by e.period_end desc, e.source_date desc nulls last, e.source_url
               ) as rn
        from metric_edge_rows([$platform, $rival], $from, $to) e
        semi join (select * from metric_series_stats where thinned) s using (platform_id, metric, unit)
    )
    where rn = 1
),
shared as (
    select metric, unit
    from pair
    group by metric, unit
    having count(distinct platform_id) = 2
)
select v.metric, c.label as metric_label, c.family, c.research_firm, c.headline,
       v.platform_id, p.short_name as platform, p.name_zh as platform_zh,
       v.period, period_kind(v.period_start, v.period_end, v.unit) as period_kind,
       v.period_start, v.period_end, v.value, v.unit,
       v.source_publisher, v.source_title, v.source_url, v.source_date, v.confidence, v.note
from pair v
join shared s using (metric, unit)
join metric_catalogue c using (metric)
join platforms p using (platform_id)
order by c.headline desc, c.family, v.metric, v.platform_id, period_kind, v.period_end
