-- Bring back one short link from a backup.
-- params: $code, $page, $query, $data_version, $created_at, $subject, $email
insert into short_link (code, page, query, data_version, created_at, subject, email)
values (:code, :page, :query, :data_version, :created_at, :subject, :email)
