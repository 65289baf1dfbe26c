-- Attach the validated scratch copy read-only, as the source of a freshly built version.
-- params: $path VARCHAR
-- returns: nothing
attach $path as src (read_only)
