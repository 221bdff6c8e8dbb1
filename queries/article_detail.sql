-- One article's header and body, for reading with its hit sentences highlighted.
select article_id, title, url, publisher, date, lang, file, body
from articles
where article_id = $article_id
