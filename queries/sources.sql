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
order by case kind when 'published' then 0 when 'derived' then 1 else 2 end, publisher, title
