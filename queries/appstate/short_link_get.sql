-- The view a short link stands for.
-- params: $code
-- returns: page, query, data_version
select page, query, data_version from short_link where code = :code;
