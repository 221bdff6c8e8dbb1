-- The publishers of the corpus, each once (the search's publisher picker), without reading the article list.
select distinct publisher
from articles
where publisher is not null
order by publisher
