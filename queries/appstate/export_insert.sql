-- Log one export of a view: a file made (outcome 'done') or one that failed, with the reference the reader saw.
-- params: $at, $subject, $email, $name, $role, $via, $page, $format, $file_name, $data_version, $link, $outcome, $reference
insert into export_event (at, subject, email, name, role, via, page, format, file_name, data_version, link, outcome, reference)
values (:at, :subject, :email, :name, :role, :via, :page, :format, :file_name, :data_version, :link, :outcome, :reference)
