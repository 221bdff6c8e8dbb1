-- Evidence sentences for a signal (and optionally one platform and stance), newest first, with their article.
with chosen as (
    select h.*, a.title, a.publisher, a.date, a.url, a.file, a.lang
    from signal_hits h
    join articles a using (article_id)
    where ($signal = '' or h.signal = $signal)
      and ($platform = '' or h.platform_id = $platform)
      and ($stance = '' or h.stance = $stance)
      and (len($competitors) = 0 or list_contains($competitors, h.platform_id))
      and (a.date is null or a.date between $from and $to)
)
select c.date, c.platform_id, p.short_name as platform, c.signal, c.stance, nullif(c.rival, '') as rival,
       c.score, c.evidence,
       c.title, c.publisher, c.url, c.article_id, c.sentence_idx, c.lang
from chosen c
join platforms p using (platform_id)
order by c.date desc nulls last, c.article_id, c.sentence_idx, c.platform_id
limit $limit
