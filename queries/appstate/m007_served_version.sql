-- Application state, migration 7: the served data version. The embedded default keeps it in the pointer file beside
-- the data (clusterpolicy.data.store), so in SQLite this step only moves the version on; PostgreSQL makes its table.
-- params: none
pragma user_version = 7;
