-- Forget the places of sign-ins that were never finished.
-- params: $before
delete from sign_in_return where created_at < :before
