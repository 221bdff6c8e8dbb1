-- Signal profile of two platforms: hits per signal split by stance, in the dates.
select s.platform_id, p.short_name as platform, s.signal,
       sum(s.articles)::bigint as articles, sum(s.hits)::bigint as hits,
       sum(s.positive)::bigint as positive, sum(s.negative)::bigint as negative, sum(s.neutral)::bigint as neutral
from signal_monthly s
join platforms p using (platform_id)
where s.platform_id in ($platform, $rival)
  and s.month between date_trunc('month', $from::date) and $to
group by all
order by s.platform_id, s.signal
