-- Take (and forget) where this browser was when its visitor chose to sign in.
-- params: $browser
delete from sign_in_return where browser = :browser returning page, query, created_at
