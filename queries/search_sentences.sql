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
    select text_id, bm25 * matched / (select greatest(count(*), 1) from query_terms) as score
    from scored
),
found as (
    select d.article_id, d.sentence_idx, d.date, d.publisher, r.text_id, r.score
    from search_docs d
    join ranked r using (text_id)
    where (d.date is null or d.date between $from and $to)
      and ($publisher = '' or d.publisher = $publisher)
),
hits as (      -- the found sentences' signal hits that pass the platform, signal and stance filters
    select h.article_id, h.sentence_idx, h.platform_id, h.signal, h.stance, h.score
    from signal_hits h
    semi join found f using (article_id, sentence_idx)
    where ($platform = '' or h.platform_id = $platform)
      and ($signal = '' or h.signal = $signal)
      and ($stance = '' or h.stance = $stance)
      and (len($competitors) = 0 or list_contains($competitors, h.platform_id))
),
best_hit as (  -- one row per sentence: its strongest passing hit, and how many hits it has
    select article_id, sentence_idx,
           arg_max(platform_id, score) as platform_id, arg_max(signal, score) as signal,
           arg_max(stance, score) as stance, count(*) as n_hits
    from hits
    group by article_id, sentence_idx
),
hit_free as (  -- found sentences with no hit at all, kept when no hit filter is set
    select f.article_id, f.sentence_idx
    from found f
    anti join signal_hits h using (article_id, sentence_idx)
),
kept as (
    select f.*, b.platform_id, b.signal, b.stance, coalesce(b.n_hits, 0) as n_hits
    from found f
    left join best_hit b using (article_id, sentence_idx)
    where b.article_id is not null
       or ($platform = '' and $signal = '' and $stance = ''
           and (f.article_id, f.sentence_idx) in (select (article_id, sentence_idx) from hit_free)
           and (len($competitors) = 0
                or f.article_id in (select article_id from article_list
                                    where no_hits or list_has_any(platform_ids, $competitors))))
),
top as (
    select *
    from kept
    order by score desc, date desc nulls last, article_id, sentence_idx
    limit $limit
)
select t.score, t.date, t.platform_id, p.short_name as platform, t.signal, t.stance, t.n_hits,
       x.text as sentence, t.sentence_idx, t.sentence_idx < 0 as is_title,
       a.title, a.publisher, a.url, a.article_id, a.file, a.lang
from top t
join search_texts x using (text_id)
join articles a using (article_id)
left join platforms p using (platform_id)
order by t.score desc, t.date desc nulls last, t.article_id, t.sentence_idx
