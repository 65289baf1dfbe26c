-- Forget the rejected rows of earlier CSV reads, so the next read reports only its own.
-- params: none
-- returns: nothing
drop table if exists reject_errors;
drop table if exists reject_scans;
