-- Articles added in a window (the day fetched, else the article's own date), with the platforms and signals found in them.
with added as (
    select article_id, title, publisher, date, url, lang, fetched_at,
           coalesce(fetched_at::date, date) as added_on
    from articles
    where coalesce(fetched_at::date, date) between $from and $to
),
hit_summary as (
    select article_id,
           string_agg(distinct platform_id, ', ' order by platform_id) as platforms,
           string_agg(distinct signal, ', ' order by signal) as signals,
           list(distinct platform_id order by platform_id) as platform_ids
    from signal_hits
    semi join added using (article_id)
    group by article_id
)
select a.added_on, a.date, a.title, a.publisher, a.url, a.lang, a.article_id,
       coalesce(h.platforms, '') as platforms, coalesce(h.signals, '') as signals
from added a
left join hit_summary h using (article_id)
where len($competitors) = 0 or h.platform_ids is null or list_has_any(h.platform_ids, $competitors)
order by a.added_on desc, a.date desc nulls last, a.title
