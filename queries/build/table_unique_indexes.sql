-- Unique expression indexes of one table (keys over nullable columns, e.g. earmarked_budget).
-- params: $table VARCHAR
-- returns: key_sql (the indexed expressions, comma-separated, as written in schema.sql)
select
    regexp_extract(sql, '\((.*)\);?\s*$', 1) as key_sql
from duckdb_indexes()
where table_name = $table
  and is_unique
