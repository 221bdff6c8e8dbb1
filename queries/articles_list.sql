-- The article corpus in the dates (undated included) that mention a chosen competitor or carry no hits: one page.
select article_id, date, title, publisher, lang, url, file, hits, signals, platforms
from article_list  -- articles with their hit summary, built with the store (aggregates.sql)
where (date is null or date between $from and $to)
  and (no_hits or len($competitors) = 0 or list_has_any(platform_ids, $competitors))
  and ($article_id = '' or article_id = $article_id)  -- '' lists them all, an id asks whether it is in the list
order by list_pos  -- newest first, then title
limit nullif($page_size, 0)  -- 0 (the default): every row, as the CSV, `paylens export` and snapshots give them
offset $offset
