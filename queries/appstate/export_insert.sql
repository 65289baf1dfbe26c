-- Log one export of a view.
-- params: $at, $subject, $email, $name, $role, $via, $page, $format, $file_name, $data_version, $link
insert into export_event (at, subject, email, name, role, via, page, format, file_name, data_version, link)
values (:at, :subject, :email, :name, :role, :via, :page, :format, :file_name, :data_version, :link)
