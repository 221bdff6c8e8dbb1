-- Platform x signal share of articles in a window against the window of the same length just before it, with the counts.
with bounds as (
    select $from::date as cur_from, $to::date as cur_to,
           ($from::date - ($to::date - $from::date + 1)::integer) as prev_from, ($from::date - 1)::date as prev_to
),
windowed as (  -- each hit's article placed in the current or the previous window (by the day it was added)
    select h.article_id, h.platform_id, h.signal,
           case when a.added_on between b.cur_from and b.cur_to then 'cur' else 'prev' end as win
    from signal_hits h
    join (select article_id, coalesce(fetched_at::date, date) as added_on from articles) a using (article_id)
    cross join bounds b
    where a.added_on between b.prev_from and b.cur_to
      and (len($competitors) = 0 or list_contains($competitors, h.platform_id))
),
platform_totals as (
    select platform_id,
           count(distinct article_id) filter (where win = 'cur') as cur_total,
           count(distinct article_id) filter (where win = 'prev') as prev_total
    from windowed
    group by platform_id
),
pair_counts as (
    select platform_id, signal,
           count(distinct article_id) filter (where win = 'cur') as cur_articles,
           count(distinct article_id) filter (where win = 'prev') as prev_articles
    from windowed
    group by platform_id, signal
)
select c.platform_id, p.short_name as platform, c.signal,
       c.cur_articles, t.cur_total, c.prev_articles, t.prev_total,
       case when t.cur_total > 0 then round(c.cur_articles / t.cur_total, 4) end as cur_share,
       case when t.prev_total > 0 then round(c.prev_articles / t.prev_total, 4) end as prev_share,
       (select prev_from from bounds) as prev_from, (select prev_to from bounds) as prev_to
from pair_counts c
join platform_totals t using (platform_id)
join platforms p using (platform_id)
order by c.platform_id, c.signal
