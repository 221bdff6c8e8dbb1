-- Who threatens one platform, month by month: articles and sentences per rival (unnamed when the text names none) for $platform ('' = every chosen competitor) and the dates.
with threats as (
    select month, platform_id, rival as rival_id, sum(articles)::bigint as articles, sum(hits)::bigint as hits
    from threat_monthly
    where ($platform = '' or platform_id = $platform)
      and (len($competitors) = 0 or list_contains($competitors, platform_id))
      and month between date_trunc('month', $from::date) and $to
    group by month, platform_id, rival
)
select t.month, t.platform_id, p.short_name as platform, t.rival_id, coalesce(r.short_name, 'unnamed') as rival,
       t.articles, t.hits
from threats t
join platforms p on p.platform_id = t.platform_id
left join platforms r on r.platform_id = t.rival_id
order by t.month, t.platform_id, t.rival_id = '', t.rival_id
