-- Build-time aggregates so page queries read small tables instead of scanning raw rows.
create table signal_monthly as
with hits as (
    select h.platform_id, h.signal, h.stance, h.article_id, date_trunc('month', a.date)::date as month
    from signal_hits h
    join articles a using (article_id)
    where a.date is not null
)
select platform_id, signal, month,
       count(distinct article_id) as articles,
       count(*) as hits,
       count(*) filter (where stance = 'positive') as positive,
       count(*) filter (where stance = 'negative') as negative,
       count(*) filter (where stance = 'neutral') as neutral
from hits
group by all
order by platform_id, signal, month;

-- Competitive threats per threatened platform, rival ('' when the text names none) and month (queries/threat_matrix).
-- A mover's own hit (rival = its platform: the one moving in) threatens nobody and is left out.
create table threat_monthly as
select h.platform_id, h.rival, date_trunc('month', a.date)::date as month,
       count(distinct h.article_id) as articles,
       count(*) as hits,
       min(a.date) as first_date,
       max(a.date) as last_date
from signal_hits h
join articles a using (article_id)
where h.signal = 'competitive_threat' and a.date is not null and h.rival <> h.platform_id
group by all
order by platform_id, rival, month;

create table platform_articles_monthly as
select h.platform_id, date_trunc('month', a.date)::date as month, count(distinct h.article_id) as articles
from signal_hits h
join articles a using (article_id)
where a.date is not null
group by all
order by platform_id, month;

-- Articles per platform (and per signal) by the article's date and the day it was added (fetched, else its date).
-- An article has one of each, so distinct counts add up over days: impact_periods and digest_signal_shift sum
-- these for windows cut at any day instead of joining every hit with its article (283 ms at 1M articles).
create table signal_days as
select h.platform_id, h.signal, a.date, coalesce(a.fetched_at::date, a.date) as added_on,
       count(distinct h.article_id) as articles
from signal_hits h
join articles a using (article_id)
group by all
order by platform_id, signal, date, added_on;

create table platform_days as
select h.platform_id, a.date, coalesce(a.fetched_at::date, a.date) as added_on,
       count(distinct h.article_id) as articles
from signal_hits h
join articles a using (article_id)
group by all
order by platform_id, date, added_on;

-- Metric rows per series (platform, metric, unit) and calendar month of period_end: exact counts and date
-- extents. A month whose rows all fall inside a date range is counted from here; only months cut by the range
-- are read row by row (metric_edge_rows), so range queries read ~1/30 of the rows on daily data.
create table metric_monthly as
select platform_id, metric, unit, date_trunc('month', period_end)::date as month,
       count(*) as n_values,
       min(period_start) as min_start, max(period_start) as max_start,
       min(period_end) as min_end, max(period_end) as max_end,
       list_min(max(period_end, 2)) as second_end      -- the month's two latest period_end values reach back here
from metric_values
group by all
order by platform_id, metric, unit, month;

create table metric_coverage as
select m.platform_id, m.metric, c.family, year(m.month) as year, sum(m.n_values)::bigint as n_values
from metric_monthly m                           -- year(month) = year(period_end)
join metric_catalogue c using (metric)
group by all
order by platform_id, metric, year;

-- One row per series; `thinned` marks long series (more than 500 rows, i.e. daily data) that charts spanning
-- many series draw from one actual row per month.
create table metric_series_stats as
select platform_id, metric, unit, sum(n_values)::bigint as n_values,
       min(min_start) as first_start, max(max_end) as last_end, sum(n_values) > 500 as thinned
from metric_monthly
group by all
order by platform_id, metric, unit;

-- Every row of short series; for thinned series only the two latest rows of each month (ranked like
-- latest_values: period_end, then source_date, then source_url; month_rank 1 and 2). Real rows only, with
-- provenance, plus the month's extent so a query can tell whether the month lies wholly inside its dates.
create temp table metric_thin_rows as          -- narrow pass first: which rows to keep (row ids only)
select v.rowid as rid, b.month, b.thinned, b.min_end as month_min_end, b.max_start as month_max_start
from metric_values v
join (
    select m.*, s.thinned
    from metric_monthly m
    join metric_series_stats s using (platform_id, metric, unit)
) b
  on v.platform_id = b.platform_id and v.metric = b.metric and v.unit = b.unit
 and date_trunc('month', v.period_end)::date = b.month
where not b.thinned or v.period_end >= b.second_end;

create table metric_values_thin as
with picked as (
    select v.*, t.month, t.thinned, t.month_min_end, t.month_max_start
    from metric_values v
    join metric_thin_rows t on v.rowid = t.rid
),
ranked as (
    select *,
           row_number() over (
               partition by platform_id, metric, unit, month
               order by period_end desc, source_date desc nulls last, source_url
           ) as month_rank
    from picked
)
select *
from ranked
where not thinned or month_rank <= 2
order by platform_id, metric, unit, period_end, period_start, source_url;

drop table metric_thin_rows;

-- Rows inside [d_from, d_to] (period_end >= d_from and period_start <= d_to) that lie in a month only partly
-- inside the range. Such rows sit in the month of d_from or from the month of d_to on, so both scans prune
-- by zone maps to nothing when the range boundaries fall outside the data (the usual open range).
create macro metric_edge_rows(competitors, d_from, d_to) as table
with partial as (
    select platform_id, metric, unit, month
    from metric_monthly
    where (len(competitors) = 0 or list_contains(competitors, platform_id))
      and max_end >= d_from and min_start <= d_to
      and not (min_end >= d_from and max_start <= d_to)
),
near as (
    select v.*, date_trunc('month', v.period_end)::date as month
    from metric_values v
    where v.period_end between date_trunc('month', d_from::date)::date and last_day(d_from::date)
      and v.period_end >= d_from and v.period_start <= d_to
    union all
    select v.*, date_trunc('month', v.period_end)::date as month
    from metric_values v
    where v.period_end >= date_trunc('month', d_to::date)::date
      and v.period_end > last_day(d_from::date)
      and v.period_end >= d_from and v.period_start <= d_to
)
select n.*
from near n
semi join partial p using (platform_id, metric, unit, month);

-- Per series: how many rows fall inside the range and their first/last period_end, exactly as a scan of
-- metric_values would count them, read from metric_monthly plus the edge rows.
create macro metric_series_in_range(competitors, d_from, d_to) as table
with inside as (
    select platform_id, metric, unit, n_values, min_end as first_end, max_end as last_end
    from metric_monthly
    where (len(competitors) = 0 or list_contains(competitors, platform_id))
      and min_end >= d_from and max_start <= d_to
),
edge as (
    select platform_id, metric, unit, count(*) as n_values, min(period_end) as first_end,
           max(period_end) as last_end
    from metric_edge_rows(competitors, d_from, d_to)
    group by all
)
select platform_id, metric, unit, sum(n_values)::bigint as n_values, min(first_end) as first_end,
       max(last_end) as last_end
from (select * from inside union all select * from edge)
group by all;

-- The article list, joined with each article's hit summary and numbered in display order (newest first, then
-- title), so articles_list filters one table and orders by an integer.
-- Each article's hit summary first, from plain group-bys and list_sort rather than ordered DISTINCT aggregates
-- (string_agg(distinct ... order by ...)), and as its own step: at 1M articles either, inside the one statement
-- below, ran out of a 1 GB build (ordered aggregates and a pipeline of joins into a window do not spill).
create temp table article_hit_counts as
select article_id, count(*) as hits
from signal_hits
group by article_id;

create temp table article_signal_lists as
select article_id, list_sort(list(signal)) as signal_list
from (select distinct article_id, signal from signal_hits)
group by article_id;

create temp table article_platform_lists as
select article_id, list_sort(list(platform_id)) as platform_ids
from (select distinct article_id, platform_id from signal_hits)
group by article_id;

create table article_list as
with hit_summary as (
    select c.article_id, c.hits, array_to_string(s.signal_list, ', ') as signals,
           array_to_string(p.platform_ids, ', ') as platforms, p.platform_ids
    from article_hit_counts c
    join article_signal_lists s using (article_id)
    join article_platform_lists p using (article_id)
)
select a.article_id, a.date, a.title, a.publisher, a.lang, a.url, a.file,
       coalesce(h.hits, 0) as hits, coalesce(h.signals, '') as signals, coalesce(h.platforms, '') as platforms,
       h.platform_ids, h.article_id is null as no_hits,
       row_number() over (order by a.date desc nulls last, a.title) as list_pos
from articles a
left join hit_summary h using (article_id)
order by list_pos;

drop table article_hit_counts;
drop table article_signal_lists;
drop table article_platform_lists;

-- A period's length in words (year, half, quarter, month, week, day, point, span): a chart never joins values of
-- different lengths into one line. One day is a `day` for flows (transactions, money) and a `point` (as of that
-- date) for stocks such as users.
create or replace macro period_kind(p_start, p_end, unit) as
    case
        when p_end = p_start then
            case when unit like '%transactions' or unit like '%\_cny' escape '\' or unit like '%\_usd' escape '\'
                 then 'day' else 'point' end
        when p_end - p_start + 1 = 7 then 'week'
        when p_end - p_start + 1 between 28 and 31 then 'month'
        when p_end - p_start + 1 between 89 and 92 then 'quarter'
        when p_end - p_start + 1 between 181 and 184 then 'half'
        when p_end - p_start + 1 between 365 and 366 then 'year'
        else 'span'
    end;

-- The calendar period just before a calendar period of this kind (none for points, weeks, days and spans).
create or replace macro previous_start(kind, p_start) as
    case kind
        when 'year' then p_start - interval 1 year
        when 'half' then p_start - interval 6 month
        when 'quarter' then p_start - interval 3 month
        when 'month' then p_start - interval 1 month
    end::date;

-- The usual label of a calendar period starting on p_start: 2019, 2019-H2, 2019-Q2, 2019-06.
create or replace macro period_label(kind, p_start) as
    case kind
        when 'year' then strftime(p_start, '%Y')
        when 'half' then strftime(p_start, '%Y') || '-H' || (if(month(p_start) <= 6, 1, 2))::varchar
        when 'quarter' then strftime(p_start, '%Y') || '-Q' || quarter(p_start)::varchar
        when 'month' then strftime(p_start, '%Y-%m')
    end;

-- The first day of the calendar period of this kind that holds d (year, half, quarter, month).
create or replace macro period_floor(kind, d) as
    case kind
        when 'year' then date_trunc('year', d)
        when 'half' then date_trunc('year', d) + to_months(if(month(d) > 6, 6, 0))
        when 'quarter' then date_trunc('quarter', d)
        when 'month' then date_trunc('month', d)
    end::date;

-- How long a calendar period of this kind is.
create or replace macro period_step(kind) as
    case kind
        when 'year' then interval 1 year
        when 'half' then interval 6 month
        when 'quarter' then interval 3 month
        when 'month' then interval 1 month
    end;
