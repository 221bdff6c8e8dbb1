-- Every platform with its Chinese name, operator and kind (payment, aggregate or ai_product).
select platform_id, name, short_name, name_zh, operator, parent_group, launched, kind, notes
from platforms
order by case kind when 'payment' then 0 when 'aggregate' then 1 else 2 end, platform_id
