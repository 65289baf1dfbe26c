-- The data version file every replica serves now (relative to the shared data folder), if one was switched to.
-- params: none
select file from served_version
