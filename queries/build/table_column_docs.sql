-- Columns of one table with type, whether a value is required, and the schema's description.
-- params: $table VARCHAR
-- returns: column_name, data_type, required, description
select
    column_name,
    data_type,
    not is_nullable as required,
    comment as description
from duckdb_columns()
where table_name = $table
  and schema_name = 'main'
  and database_name = current_database()
order by column_index
