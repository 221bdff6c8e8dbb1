-- Platform x signal share of articles in a window against the window of the same length just before it, with the counts.
-- Counts come from signal_days and platform_days (distinct articles per platform and day added, built with the
-- store): an article is added on one day, so the days' counts add up to the window's.
with bounds as (
    select $from::date as cur_from, $to::date as cur_to,
           ($from::date - ($to::date - $from::date + 1)::integer) as prev_from, ($from::date - 1)::date as prev_to
),
platform_totals as (
    select d.platform_id,
           coalesce(sum(d.articles) filter (where d.added_on >= b.cur_from), 0)::bigint as cur_total,
           coalesce(sum(d.articles) filter (where d.added_on < b.cur_from), 0)::bigint as prev_total
    from platform_days d
    cross join bounds b
    where d.added_on between b.prev_from and b.cur_to
      and (len($competitors) = 0 or list_contains($competitors, d.platform_id))
    group by d.platform_id
),
pair_counts as (
    select d.platform_id, d.signal,
           coalesce(sum(d.articles) filter (where d.added_on >= b.cur_from), 0)::bigint as cur_articles,
           coalesce(sum(d.articles) filter (where d.added_on < b.cur_from), 0)::bigint as prev_articles
    from signal_days d
    cross join bounds b
    where d.added_on between b.prev_from and b.cur_to
      and (len($competitors) = 0 or list_contains($competitors, d.platform_id))
    group by d.platform_id, d.signal
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
