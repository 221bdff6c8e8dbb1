-- The article corpus in the dates (undated included) that mention a chosen competitor or carry no hits: one page.
with listed as (  -- the page's positions first, from narrow columns
    select list_pos
    from article_list  -- articles with their hit summary, built with the store (aggregates.sql)
    where (date is null or date between $from and $to)
      -- any of the article's platforms chosen (3x faster than list_has_any here)
      and (no_hits or len($competitors) = 0 or list_bool_or([list_contains($competitors, p) for p in platform_ids]))
      and ($article_id = '' or article_id = $article_id)  -- '' lists them all, an id asks whether it is in the list
    order by list_pos  -- newest first, then title
    limit nullif($page_size, 0)  -- 0 (the default): every row, as the CSV, `paylens export` and snapshots give them
    offset $offset
)
select a.article_id, a.date, a.title, a.publisher, a.lang, a.url, a.file, a.hits, a.signals, a.platforms
from article_list a
semi join listed l using (list_pos)  -- stored in list_pos order: a page's rows sit in a few row groups
order by a.list_pos
