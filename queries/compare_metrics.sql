-- Every metric series (same metric id, so same research firm and definition) where both platforms have data.
with pair as (
    select *
    from metric_values
    where platform_id in ($platform, $rival)
      and period_end >= $from
      and period_start <= $to
),
shared as (
    select metric, unit
    from pair
    group by metric, unit
    having count(distinct platform_id) = 2
)
select v.metric, c.label as metric_label, c.family, c.research_firm, c.headline,
       v.platform_id, p.short_name as platform, p.name_zh as platform_zh,
       v.period, v.period_start, v.period_end, v.value, v.unit,
       v.source_publisher, v.source_title, v.source_url, v.source_date, v.confidence, v.note
from pair v
join shared s using (metric, unit)
join metric_catalogue c using (metric)
join platforms p using (platform_id)
order by c.headline desc, c.family, v.metric, v.platform_id, v.period_end
