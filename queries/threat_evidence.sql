-- The sentences behind one Threats cell: $platform threatened by $rival ('' = no rival named; $platform '' = any), newest first, with their article.
with chosen as (
    select h.*, a.title, a.publisher, a.date, a.url, a.file, a.lang
    from signal_hits h
    join articles a using (article_id)
    where h.signal = 'competitive_threat'
      and ($platform = '' or h.platform_id = $platform)
      and h.rival = $rival
      and h.rival <> h.platform_id  -- a mover's own hit threatens nobody
      and (len($competitors) = 0 or list_contains($competitors, h.platform_id))
      and a.date is not null
      and date_trunc('month', a.date) between date_trunc('month', $from::date) and $to
)
select c.date, c.platform_id, p.short_name as platform, c.rival, c.signal, c.stance, c.score, c.evidence,
       c.title, c.publisher, c.url, c.article_id, c.sentence_idx, c.lang
from chosen c
join platforms p using (platform_id)
order by c.date desc, c.article_id, c.sentence_idx, c.platform_id
limit $limit
