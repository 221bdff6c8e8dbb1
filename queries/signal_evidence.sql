-- Evidence sentences for a signal (and optionally one platform and stance), newest first, with their article.
with months as (  -- hits per month wholly inside the dates (signal_monthly, built with the store)
    select m.month,
           sum(case $stance when '' then m.hits when 'positive' then m.positive when 'negative' then m.negative
                            when 'neutral' then m.neutral else 0 end) as hits
    from signal_monthly m
    semi join platforms p using (platform_id)
    where ($signal = '' or m.signal = $signal)
      and ($platform = '' or m.platform_id = $platform)
      and (len($competitors) = 0 or list_contains($competitors, m.platform_id))
      and m.month >= $from and last_day(m.month) <= $to
    group by m.month
),
reach as (
    select month, sum(hits) over (order by month desc rows between unbounded preceding and current row) as hits
    from months
),
since as (  -- the newest month from which on at least $limit hits are certain: no older hit can make the list
    select max(month) filter (where hits >= $limit) as month
    from reach
),
dated as (
    select a.article_id, a.date
    from articles a
    where (a.date is null or a.date between $from and $to)
      and (a.date >= (select month from since) or (select month from since) is null)
),
chosen as (
    select h.article_id, h.platform_id, h.signal, h.stance, h.rival, h.score, h.evidence, h.sentence_idx, d.date
    from signal_hits h
    join dated d using (article_id)
    where ($signal = '' or h.signal = $signal)
      and ($platform = '' or h.platform_id = $platform)
      and ($stance = '' or h.stance = $stance)
      and (len($competitors) = 0 or list_contains($competitors, h.platform_id))
),
moved as (  -- hits an analyst moved here from the wrong platform (data/corrections.csv): the card says so
    select article_id, sentence_idx, right_platform as platform_id, signal,
           string_agg(distinct who, ', ' order by who) as moved_by, min(reason) as moved_why
    from hit_corrections
    where applied and right_platform <> ''
    group by all
)
select c.date, c.platform_id, p.short_name as platform, c.signal, c.stance, nullif(c.rival, '') as rival,
       c.score, c.evidence,
       a.title, a.publisher, a.url, c.article_id, c.sentence_idx, a.lang, m.moved_by, m.moved_why
from chosen c
join platforms p using (platform_id)
join articles a using (article_id)
left join moved m using (article_id, sentence_idx, platform_id, signal)
order by c.date desc nulls last, c.article_id, c.sentence_idx, c.platform_id, c.signal, c.rival  -- total: same rows every run
limit $limit
