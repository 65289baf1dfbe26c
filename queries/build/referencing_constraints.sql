-- Foreign keys of other tables that point at one table (rows a replace must not remove).
-- params: $table VARCHAR
-- returns: child_table, constraint_column_names, referenced_column_names
select
    table_name as child_table,
    constraint_column_names,
    referenced_column_names
from duckdb_constraints()
where constraint_type = 'FOREIGN KEY'
  and referenced_table = $table
  and schema_name = 'main'
order by table_name
