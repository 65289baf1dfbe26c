-- Bring back one entry of the export log from a backup, with its own id.
-- params: $id, $at, $subject, $email, $name, $role, $via, $page, $format, $file_name, $data_version, $link, $outcome, $reference
insert into export_event (id, at, subject, email, name, role, via, page, format, file_name, data_version, link, outcome, reference)
values (:id, :at, :subject, :email, :name, :role, :via, :page, :format, :file_name, :data_version, :link, :outcome, :reference)
