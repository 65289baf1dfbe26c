-- A new scenario (its first revision is inserted in the same transaction).
-- params: $id, $subject, $email, $name, $at
insert into scenario (id, author_subject, author_email, author_name, created_at, changed_at, current_revision)
values (:id, :subject, :email, :name, :at, :at, 1)
