-- One platform's metric series beside the share of its articles showing each chosen signal, period by period.
-- The calendar is the series' own period kind (the calendar kind with the most values), from the first to the
-- last period holding a value or an article in the dates. A period without a value keeps it empty (never
-- interpolated); a period without articles has no share.
with series as (
    select *, period_kind(period_start, period_end, unit) as period_kind
    from metric_values
    where metric = $metric and platform_id = $platform
),
kind as (
    select period_kind, unit
    from series
    where period_kind in ('year', 'half', 'quarter', 'month')
    group by all
    order by count(*) desc, period_kind
    limit 1
),
metric_rows as (
    -- one value per period: the newest source when several publish the same period
    select s.period_start, s.period_end, s.period, s.value, s.unit, s.source_publisher, s.source_url, s.confidence
    from series s
    join kind k using (period_kind, unit)
    where s.period_end >= $from and s.period_start <= $to
    qualify row_number() over (partition by s.period_start, s.period_end
                               order by s.source_date desc nulls last, s.source_url) = 1
),
platform_hits as (
    select distinct h.article_id, h.signal, a.date
    from signal_hits h
    join articles a using (article_id)
    where h.platform_id = $platform and a.date between $from and $to
),
bounds as (
    select k.period_kind as kind,
           period_floor(k.period_kind, least(min(m.period_start), (select min(date) from platform_hits))) as first,
           greatest(max(m.period_end), (select max(date) from platform_hits)) as last
    from kind k, metric_rows m
    group by k.period_kind
),
calendar as (
    select kind, g::date as period_start, (g + period_step(kind) - interval 1 day)::date as period_end
    from (select kind, unnest(generate_series(first::timestamp, last::timestamp, period_step(kind))) as g
          from bounds)
),
counted as (
    select c.kind, c.period_start, c.period_end, s.signal,
           count(distinct p.article_id) filter (where p.signal = s.signal) as signal_articles,
           count(distinct p.article_id) as platform_articles
    from calendar c
    cross join (select unnest($signals) as signal) s
    left join platform_hits p on p.date between c.period_start and c.period_end
    group by all
)
select $platform as platform_id, pl.short_name as platform, $metric as metric, mc.label as metric_label,
       period_label(c.kind, c.period_start) as period, c.kind as period_kind, c.period_start, c.period_end,
       m.value, m.unit, m.source_publisher, m.source_url, m.confidence,
       c.signal, c.signal_articles, c.platform_articles,
       round(c.signal_articles / nullif(c.platform_articles, 0), 4) as share
from counted c
left join metric_rows m on m.period_start = c.period_start and m.period_end = c.period_end
join platforms pl on pl.platform_id = $platform
join metric_catalogue mc on mc.metric = $metric
order by c.period_start, c.signal
