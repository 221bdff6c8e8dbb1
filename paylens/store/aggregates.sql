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

create table platform_articles_monthly as
select h.platform_id, date_trunc('month', a.date)::date as month, count(distinct h.article_id) as articles
from signal_hits h
join articles a using (article_id)
where a.date is not null
group by all
order by platform_id, month;

create table metric_coverage as
select v.platform_id, v.metric, c.family, year(v.period_end) as year, count(*) as n_values
from metric_values v
join metric_catalogue c using (metric)
group by all
order by platform_id, metric, year;
