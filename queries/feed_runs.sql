-- The latest feed runs (one row per feed per `paylens watch` run), newest first, with their errors.
with runs as (
    select run_at, feed, feed_url, items_seen, added, skipped_duplicate, skipped_off_topic, errors, error_detail
    from feed_runs
)
select run_at, feed, feed_url, items_seen, added, skipped_duplicate, skipped_off_topic, errors, error_detail
from runs
order by run_at desc, feed
limit $limit
