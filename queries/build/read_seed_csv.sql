-- Rows of one CSV file with explicit column types and no auto-detection; unreadable rows go to reject_errors.
-- params: $path VARCHAR, $cols MAP(VARCHAR, VARCHAR), $delim VARCHAR
-- returns: _row (1-based data row), then the file's columns typed as in the schema
select
    row_number() over () as _row,
    *
from read_csv(
    $path,
    header = true,
    delim = $delim,
    quote = '"',
    columns = $cols,
    auto_detect = false,
    strict_mode = true,
    store_rejects = true,
    null_padding = false
)
