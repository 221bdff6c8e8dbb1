-- The signal hits of one article, in sentence order.
select h.sentence_idx, h.platform_id, p.short_name as platform, h.signal, h.stance, h.score, h.evidence
from signal_hits h
join platforms p using (platform_id)
where h.article_id = $article_id
order by h.sentence_idx, h.signal, h.platform_id
