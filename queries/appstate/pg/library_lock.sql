-- Lock a scenario's row until the transaction ends, so writers on every replica take its next revision number in turn.
-- A statement of its own: the next statement (library_owner) then reads the newest revision as it is after the lock
-- was granted (in READ COMMITTED each statement sees what was committed before it began).
-- params: $id
select id from scenario where id = :id for update
