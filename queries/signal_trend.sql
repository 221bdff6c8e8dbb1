-- One signal's monthly hits and article counts per chosen platform, split by stance.
select s.month, s.platform_id, p.short_name as platform, s.signal,
       s.articles, s.hits, s.positive, s.negative, s.neutral
from signal_monthly s
join platforms p using (platform_id)
where s.signal = $signal
  and (len($competitors) = 0 or list_contains($competitors, s.platform_id))
  and s.month between date_trunc('month', $from::date) and $to
order by s.month, s.platform_id
