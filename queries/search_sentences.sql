-- Full-text search: sentences and titles ranked by BM25 on the query's terms, with platform, signal, stance and article.
with query_terms as (
    select distinct unnest($terms::varchar[]) as term
),
scored as (    -- texts holding any query term: summed BM25 weights, and how many of the terms they hold
    select p.text_id, sum(p.weight) as bm25, count(*) as matched
    from search_postings p
    where p.term in (select term from query_terms)
    group by p.text_id
),
ranked as (    -- coordination: a text holding every query term outranks one holding a few of them
    select s.text_id, s.bm25 * s.matched / (select greatest(count(*), 1) from query_terms) as score, t.n_docs
    from scored s
    join search_texts t using (text_id)
),
floor as (     -- depth > 0: only the best texts, enough of them to hold limit x depth places (ties kept)
    select case when $depth = 0 then 0
                else coalesce(max(score) filter (where cum_docs >= $limit * $depth), 0) end as min_score
    from (select score, sum(n_docs) over (order by score desc rows between unbounded preceding and current row)
                        as cum_docs
          from ranked)
),
best_texts as (
    select text_id, score
    from ranked
    where score >= (select min_score from floor)
),
hit_units as ( -- places with a signal hit that passes every filter: the strongest such hit of each
    select h.doc_id, any_value(h.article_no) as article_no, any_value(h.date) as date, any_value(t.score) as score,
           arg_max(h.platform_id, h.score) as platform_id, arg_max(h.signal, h.score) as signal,
           arg_max(h.stance, h.score) as stance
    from search_doc_hits h
    join best_texts t using (text_id)
    where (h.date is null or h.date between $from and $to)
      and ($publisher = '' or h.publisher = $publisher)
      and ($platform = '' or h.platform_id = $platform)
      and ($signal = '' or h.signal = $signal)
      and ($stance = '' or h.stance = $stance)
      and (len($competitors) = 0 or list_contains($competitors, h.platform_id))
    group by h.doc_id
),
free_units as (  -- places without hits (titles, other sentences), only when no hit filter is set
    select d.doc_id, d.article_no, d.date, t.score
    from search_docs d
    join best_texts t using (text_id)
    where d.n_hits = 0
      and $platform = '' and $signal = '' and $stance = ''
      and (d.date is null or d.date between $from and $to)
      and ($publisher = '' or d.publisher = $publisher)
),
open_free as (   -- with Competitors chosen: those in an article without hits or with a hit on a chosen one
    select f.*
    from free_units f
    where len($competitors) = 0
       or not exists (select 1 from search_article_platforms ap where ap.article_no = f.article_no)
       or exists (select 1 from search_article_platforms ap
                  where ap.article_no = f.article_no and list_contains($competitors, ap.platform_id))
),
kept as (
    select doc_id, date, score, platform_id, signal, stance from hit_units
    union all
    select doc_id, date, score, null, null, null from open_free
),
top as (
    select *
    from kept
    order by score desc, date desc nulls last, doc_id
    limit $limit
)
select t.score, t.date, t.platform_id, p.short_name as platform, t.signal, t.stance, d.n_hits,
       x.text as sentence, d.sentence_idx, d.sentence_idx < 0 as is_title,
       a.title, a.publisher, a.url, a.article_id, a.file, a.lang, (select min_score from floor) as min_score
from top t
join search_docs d using (doc_id)
join search_texts x using (text_id)
join search_articles sa on sa.article_no = d.article_no
join articles a on a.article_id = sa.article_id
left join platforms p on p.platform_id = t.platform_id
order by t.score desc, t.date desc nulls last, t.doc_id
