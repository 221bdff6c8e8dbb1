-- Who threatens whom: threatened platform x rival (unnamed when the text names none) for the chosen competitors and dates, as a share of the threatened platform's articles, with counts and first/last dates.
with threats as (
    select platform_id, rival,
           sum(articles)::bigint as articles, sum(hits)::bigint as hits,
           min(first_date) as first_date, max(last_date) as last_date
    from threat_monthly
    where (len($competitors) = 0 or list_contains($competitors, platform_id))
      and month between date_trunc('month', $from::date) and $to
    group by platform_id, rival
),
base as (
    select platform_id, sum(articles)::bigint as platform_articles
    from platform_articles_monthly
    where (len($competitors) = 0 or list_contains($competitors, platform_id))
      and month between date_trunc('month', $from::date) and $to
    group by platform_id
)
select t.platform_id, p.short_name as platform, p.name_zh as platform_zh,
       t.rival as rival_id, coalesce(r.short_name, 'unnamed') as rival,
       t.articles, b.platform_articles,
       round(t.articles / b.platform_articles, 4) as share,
       t.hits, t.first_date, t.last_date
from threats t
join base b using (platform_id)
join platforms p on p.platform_id = t.platform_id
left join platforms r on r.platform_id = t.rival
order by t.platform_id, t.rival = '', t.articles desc, t.rival
