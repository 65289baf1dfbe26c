-- Columns of one table of the schema, in schema order (drives typed CSV reading and validation).
-- params: $table VARCHAR
-- returns: column_name, data_type, is_nullable
select
    column_name,
    data_type,
    is_nullable
from information_schema.columns
where table_name = $table
  and table_schema = 'main'
  and table_catalog = current_database()
order by ordinal_position
