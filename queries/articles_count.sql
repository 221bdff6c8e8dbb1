-- How many articles articles_list holds for these filters (the Articles page's total and page count).
select count(*) as articles
from article_list
where (date is null or date between $from and $to)
  and (no_hits or len($competitors) = 0 or list_bool_or([list_contains($competitors, p) for p in platform_ids]))
