-- Remember where this browser was when its visitor chose to sign in (the latest choice wins).
-- params: $browser, $page, $query, $at
insert into sign_in_return (browser, page, query, created_at) values (:browser, :page, :query, :at)
on conflict (browser) do update set page = excluded.page, query = excluded.query, created_at = excluded.created_at
