-- Dated events (launches, regulation, subsidies, ...) for the chosen platforms, dates and categories.
select e.date, e.platform_id, p.short_name as platform, e.category, e.title, e.description,
       e.source_publisher, e.source_url
from events e
join platforms p using (platform_id)
where (len($competitors) = 0 or list_contains($competitors, e.platform_id) or e.platform_id = 'market')
  and e.date between $from and $to
  and (len($categories) = 0 or list_contains($categories, e.category))
order by e.date, e.platform_id, e.title
