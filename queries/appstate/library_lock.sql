-- Take the write lock for a scenario's next revision. SQLite's transaction already holds the database's one write lock
-- (begin immediate), so this only reads the row; PostgreSQL's text locks it (pg/library_lock.sql).
-- params: $id
select id from scenario where id = :id
