-- Analysts' corrections of signal hits for the chosen competitors: what was wrong (and the right platform of a moved hit), why, who and when, whether it still applies and how many hits it changed, newest first.
with fixes as (
    select c.*
    from hit_corrections c
    where (len($competitors) = 0 or list_contains($competitors, c.platform_id)
           or list_contains($competitors, c.right_platform))
)
select f.corrected_at, f.who, f.action, f.stance, f.right_platform, r.short_name as right_platform_name, f.reason,
       f.applied, f.hits, f.platform_id, p.short_name as platform, f.signal, f.article_id, f.sentence_idx,
       a.title, a.publisher, a.date, a.url
from fixes f
left join platforms p using (platform_id)
left join platforms r on r.platform_id = f.right_platform
left join articles a using (article_id)
order by f.corrected_at desc, f.article_id, f.sentence_idx, f.platform_id, f.signal
