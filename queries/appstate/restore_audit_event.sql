-- Bring back one audit entry from a backup, with its own id.
-- params: $id, $at, $action, $outcome, $subject, $email, $name, $role, $via, $issuer, $table_name, $file_name, $file_sha256, $mode, $version_before, $version_after, $added, $changed, $removed, $detail, $once_key
insert into audit_event
    (id, at, action, outcome, subject, email, name, role, via, issuer, table_name, file_name, file_sha256, mode,
     version_before, version_after, added, changed, removed, detail, once_key)
values
    (:id, :at, :action, :outcome, :subject, :email, :name, :role, :via, :issuer, :table_name, :file_name, :file_sha256, :mode,
     :version_before, :version_after, :added, :changed, :removed, :detail, :once_key)
