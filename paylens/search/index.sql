-- Search index from the staged rows (search_stage_docs, search_stage_texts, search_stage_terms): BM25 term
-- weights precomputed per (term, text), so a query only sums weights. k1 = 1.2, b = 0.75.
create table search_texts as
select text_id, text, dl
from search_stage_texts
order by text_id;

-- One row per indexed unit: each sentence of an article (sentence_idx as in signal_hits) and its title (-1),
-- with the article's date and publisher for filtering without a join.
create table search_docs as
select d.text_id, d.article_id, d.sentence_idx, a.date, a.publisher
from search_stage_docs d
join articles a using (article_id)
order by d.text_id, d.article_id, d.sentence_idx;

create temp table search_text_docs as
select text_id, count(*) as n_docs
from search_docs
group by text_id;

create table search_postings as
with stats as (
    select count(*)::double as n, coalesce(avg(t.dl), 1)::double as avgdl
    from search_docs d
    join search_texts t using (text_id)
),
df as (
    select s.term, sum(c.n_docs)::double as df
    from search_stage_terms s
    join search_text_docs c using (text_id)
    group by s.term
)
select s.term, s.text_id,
       (ln(1 + (st.n - df.df + 0.5) / (df.df + 0.5))
        * s.tf * 2.2 / (s.tf + 1.2 * (0.25 + 0.75 * t.dl / st.avgdl)))::float as weight
from search_stage_terms s
join df using (term)
join search_texts t using (text_id)
cross join stats st
order by s.term, s.text_id;

drop table search_text_docs;
drop table search_stage_docs;
drop table search_stage_texts;
drop table search_stage_terms;
