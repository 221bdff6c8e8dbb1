-- Shared timeline: events of either platform (and market-wide ones) in the dates.
select e.date, e.platform_id, p.short_name as platform, e.category, e.title, e.description,
       e.source_publisher, e.source_url
from events e
join platforms p using (platform_id)
where e.platform_id in ($platform, $rival, 'market')
  and e.date between $from and $to
  and (len($categories) = 0 or list_contains($categories, e.category))
order by e.date, e.platform_id
