-- Constraints of one table as written in schema.sql, read back from the catalog for row-level validation.
-- params: $table VARCHAR
-- returns: constraint_type, constraint_column_names, expression, referenced_table, referenced_column_names
select
    constraint_type,
    constraint_column_names,
    expression,
    referenced_table,
    referenced_column_names
from duckdb_constraints()
where table_name = $table
  and schema_name = 'main'
  and database_name = current_database()
order by constraint_index
