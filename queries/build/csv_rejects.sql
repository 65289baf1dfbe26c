-- The rows the last CSV read could not turn into typed values, with line and column.
-- params: none
-- returns: line, column_name, error_type, error_message
select
    line,
    column_name,
    error_type::varchar as error_type,
    error_message
from reject_errors
order by line, column_idx
