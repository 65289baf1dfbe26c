-- The first statement of a backup's transaction: every table read as of one moment, while the replicas go on writing.
-- params: none
set transaction isolation level repeatable read, read only
