-- How fresh the corpus is: article count, newest article date, last fetch from the web and last feed run (UTC).
with corpus as (
    select count(*) as articles, max(date) as newest_article, max(fetched_at) as last_fetched
    from articles
    where not synthetic
),
runs as (
    select max(run_at) as last_feed_run, count(distinct run_at) as feed_runs
    from feed_runs
)
select corpus.articles, corpus.newest_article, corpus.last_fetched, runs.last_feed_run, runs.feed_runs
from corpus, runs
