-- Other sources that ran the same story as one article (reposts found by shingle dedup), newest first.
with sources as (
    select s.article_id, s.url, s.publisher, s.title, s.date, s.similarity, s.found_at
    from article_sources s
    where s.article_id = $article_id
)
select url, publisher, title, date, round(similarity, 3) as similarity, found_at
from sources
order by found_at desc, url
