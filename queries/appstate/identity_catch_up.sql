-- After a restore wrote rows with their own ids: new rows get ids after them (SQLite's rowid needs nothing).
-- params: none
select 1 as done
