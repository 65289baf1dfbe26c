-- Record the version of a freshly built or imported database.
-- params: $version VARCHAR, $hash VARCHAR, $built_at TIMESTAMP, $origin VARCHAR
-- returns: nothing
insert into data_version (version, content_hash, built_at, origin)
values ($version, $hash, $built_at, $origin)
