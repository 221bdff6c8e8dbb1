-- Platform x signal for the chosen competitors and dates: share of the platform's articles showing it, and net stance.
with hits as (
    select platform_id, signal,
           sum(articles)::bigint as articles, sum(hits)::bigint as hits,
           sum(positive)::bigint as positive, sum(negative)::bigint as negative, sum(neutral)::bigint as neutral
    from signal_monthly
    where (len($competitors) = 0 or list_contains($competitors, platform_id))
      and month between date_trunc('month', $from::date) and $to
    group by platform_id, signal
),
base as (
    select platform_id, sum(articles)::bigint as platform_articles
    from platform_articles_monthly
    where (len($competitors) = 0 or list_contains($competitors, platform_id))
      and month between date_trunc('month', $from::date) and $to
    group by platform_id
)
select h.platform_id, p.short_name as platform, p.name_zh as platform_zh, h.signal,
       h.articles, b.platform_articles,
       round(h.articles / b.platform_articles, 4) as share,
       h.hits, h.positive, h.negative, h.neutral,
       round((h.positive - h.negative) / h.hits, 4) as net_stance
from hits h
join base b using (platform_id)
join platforms p using (platform_id)
order by h.platform_id, h.signal
