-- Bring back one saved scenario's own row from a backup.
-- params: $id, $author_subject, $author_email, $author_name, $created_at, $changed_at, $archived_at, $archived_by, $current_revision
insert into scenario
    (id, author_subject, author_email, author_name, created_at, changed_at, archived_at, archived_by, current_revision)
values
    (:id, :author_subject, :author_email, :author_name, :created_at, :changed_at, :archived_at, :archived_by, :current_revision)
