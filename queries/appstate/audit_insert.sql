-- Add one entry to the audit trail; an entry whose once_key is already there is skipped (a sign-in seen twice).
-- params: $at, $action, $outcome, $subject, $email, $name, $role, $via, $issuer, $table_name, $file_name, $file_sha256, $mode, $version_before, $version_after, $added, $changed, $removed, $detail, $once_key
insert into audit_event
    (at, action, outcome, subject, email, name, role, via, issuer, table_name, file_name, file_sha256, mode,
     version_before, version_after, added, changed, removed, detail, once_key)
values
    (:at, :action, :outcome, :subject, :email, :name, :role, :via, :issuer, :table_name, :file_name, :file_sha256, :mode,
     :version_before, :version_after, :added, :changed, :removed, :detail, :once_key)
on conflict (once_key) do nothing
