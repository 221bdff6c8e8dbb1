-- Signal profile of two platforms: articles and hits per signal split by stance, with each platform's article count.
with hits as (
    select platform_id, signal,
           sum(articles)::bigint as articles, sum(hits)::bigint as hits,
           sum(positive)::bigint as positive, sum(negative)::bigint as negative, sum(neutral)::bigint as neutral
    from signal_monthly
    where platform_id in ($platform, $rival)
      and month between date_trunc('month', $from::date) and $to
    group by platform_id, signal
),
base as (
    select platform_id, sum(articles)::bigint as platform_articles
    from platform_articles_monthly
    where platform_id in ($platform, $rival)
      and month between date_trunc('month', $from::date) and $to
    group by platform_id
)
select h.platform_id, p.short_name as platform, h.signal,
       h.articles, b.platform_articles, round(h.articles / b.platform_articles, 4) as share,
       h.hits, h.positive, h.negative, h.neutral
from hits h
join base b using (platform_id)
join platforms p using (platform_id)
order by h.platform_id, h.signal
