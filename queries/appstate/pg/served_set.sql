-- Serve another data version file from now on, on every replica (one row, replaced in one statement).
-- params: $file, $at, $by
insert into served_version (one, file, switched_at, switched_by) values (true, :file, :at, :by)
on conflict (one) do update set file = excluded.file, switched_at = excluded.switched_at, switched_by = excluded.switched_by
