-- Search index from the staged rows (search_stage_docs, search_stage_texts, search_stage_terms): BM25 term
-- weights precomputed per (term, text), so a query only sums weights. k1 = 1.2, b = 0.75.
create table search_texts as
select t.text_id, t.text, t.dl, coalesce(c.n_docs, 0)::integer as n_docs
from search_stage_texts t
left join (select text_id, count(*) as n_docs from search_stage_docs group by text_id) c using (text_id)
order by t.text_id;

-- One row per article (an integer key for the index), and one per platform its hits name: they decide whether
-- a sentence without hits of its own passes the Competitors filter (as articles_list does).
create table search_articles as
select (row_number() over (order by article_id))::integer as article_no, article_id
from articles
order by article_no;

create table search_article_platforms as
select distinct sa.article_no, h.platform_id
from signal_hits h
join search_articles sa using (article_id)
order by sa.article_no, h.platform_id;

-- One row per indexed unit: each sentence of an article (sentence_idx as in signal_hits) and its title (-1),
-- with what the filters need as narrow columns: date, publisher, the unit's number of hits.
create table search_docs as
with doc_hits as (
    select article_id, sentence_idx, count(*) as n_hits
    from signal_hits
    group by article_id, sentence_idx
)
select (row_number() over (order by d.text_id, d.article_id, d.sentence_idx))::integer as doc_id,
       d.text_id, sa.article_no, d.sentence_idx, a.date, a.publisher, coalesce(h.n_hits, 0)::integer as n_hits
from search_stage_docs d
join articles a using (article_id)
join search_articles sa using (article_id)
left join doc_hits h using (article_id, sentence_idx)
order by doc_id;

-- signal_hits keyed by the unit (doc_id) and its text, with the unit's date and publisher: a search with a hit
-- filter reads these rows alone, never every place of a common word.
create table search_doc_hits as
select d.doc_id, d.text_id, d.article_no, d.date, d.publisher, h.platform_id, h.signal, h.stance, h.score
from signal_hits h
join search_articles sa using (article_id)
join search_docs d on d.article_no = sa.article_no and d.sentence_idx = h.sentence_idx
order by d.text_id, d.doc_id, h.score desc;

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
