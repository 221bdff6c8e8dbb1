-- One platform's metric series beside the share of its articles showing each chosen signal, period by period.
-- The calendar is the series' own period kind (the calendar kind with the most values), from the first to the
-- last period holding a value or an article in the dates. A period without a value keeps it empty (never
-- interpolated); a period without articles has no share. Article counts come from platform_days and signal_days
-- (distinct articles per day, built with the store), summed over each period's days.
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
platform_dates as (  -- the platform's articles per day in the dates
    select date, sum(articles) as articles
    from platform_days
    where platform_id = $platform and date between $from and $to
    group by date
),
signal_dates as (
    select date, signal, sum(articles) as articles
    from signal_days
    where platform_id = $platform and date between $from and $to and list_contains($signals, signal)
    group by date, signal
),
bounds as (
    select k.period_kind as kind,
           period_floor(k.period_kind, least(min(m.period_start), (select min(date) from platform_dates))) as first,
           greatest(max(m.period_end), (select max(date) from platform_dates)) as last
    from kind k, metric_rows m
    group by k.period_kind
),
calendar as (
    select kind, g::date as period_start, (g + period_step(kind) - interval 1 day)::date as period_end
    from (select kind, unnest(generate_series(first::timestamp, last::timestamp, period_step(kind))) as g
          from bounds)
),
period_totals as (
    select c.kind, c.period_start, c.period_end, coalesce(sum(p.articles), 0)::bigint as platform_articles
    from calendar c
    left join platform_dates p on p.date between c.period_start and c.period_end
    group by all
),
period_signals as (
    select c.period_start, s.signal, sum(s.articles)::bigint as signal_articles
    from calendar c
    join signal_dates s on s.date between c.period_start and c.period_end
    group by all
),
counted as (
    select t.kind, t.period_start, t.period_end, s.signal,
           coalesce(ps.signal_articles, 0)::bigint as signal_articles, t.platform_articles
    from period_totals t
    cross join (select unnest($signals) as signal) s
    left join period_signals ps on ps.period_start = t.period_start and ps.signal = s.signal
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
