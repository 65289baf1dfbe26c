-- A short link for a view; the same view (page and query) always gets the same code, made once.
-- params: $code, $page, $query, $data_version, $created_at, $subject, $email
insert into short_link (code, page, query, data_version, created_at, subject, email)
values (:code, :page, :query, :data_version, :created_at, :subject, :email)
on conflict (code) do nothing;
