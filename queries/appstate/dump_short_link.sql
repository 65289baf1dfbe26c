-- Every short link, for a backup.
-- params: none
select code, page, query, data_version, created_at, subject, email from short_link order by code
