-- How many logged exports were made on a data version.
-- params: $version
select count(*) as exports from export_event where data_version = :version
