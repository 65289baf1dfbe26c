-- The first statement of a backup's transaction: SQLite's write lock (taken by the transaction) already gives one snapshot.
-- params: none
select 1 as snapshot
