-- The article corpus in the dates (undated included) that mention a chosen competitor or carry no hits.
with hit_summary as (
    select article_id,
           count(*) as hits,
           string_agg(distinct signal, ', ' order by signal) as signals,
           string_agg(distinct platform_id, ', ' order by platform_id) as platforms,
           bool_or(len($competitors) = 0 or list_contains($competitors, platform_id)) as about_chosen
    from signal_hits
    group by article_id
)
select a.article_id, a.date, a.title, a.publisher, a.lang, a.url, a.file,
       coalesce(h.hits, 0) as hits, coalesce(h.signals, '') as signals, coalesce(h.platforms, '') as platforms
from articles a
left join hit_summary h using (article_id)
where (a.date is null or a.date between $from and $to)
  and coalesce(h.about_chosen, true)
order by a.date desc nulls last, a.title
