-- Every source a figure can cite, for source lines under charts and the sources page.
-- params: none
-- returns: source_id, title, title_en, publisher, url, published, kind, note
select
    source_id,
    title,
    title_en,
    publisher,
    url,
    published,
    kind,
    note
from source
order by kind, publisher, title
