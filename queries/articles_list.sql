-- The article corpus in the dates (undated included) that mention a chosen competitor or carry no hits.
select a.article_id, a.date, a.title, a.publisher, a.lang, a.url, a.file,
       coalesce(h.hits, 0) as hits, coalesce(h.signals, '') as signals, coalesce(h.platforms, '') as platforms
from articles a
left join article_hit_summary h using (article_id)  -- per-article hit summary, built with the store
where (a.date is null or a.date between $from and $to)
  and (h.article_id is null or len($competitors) = 0 or list_has_any(h.platform_ids, $competitors))
order by a.date desc nulls last, a.title
