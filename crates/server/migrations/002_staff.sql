-- The team: staff accounts and their roles, their desktops' sessions, what each agent may use,
-- what was sent through the server and by whom, shared notes and quick replies, the audit log.

-- admin: connects accounts, manages staff; supervisor: sees everything, assigns, statistics;
-- agent: the accounts granted. Passwords are argon2id hashes (PHC strings).
create table staff (
    id bigserial primary key,
    login text not null unique,
    name text not null,
    role text not null check (role in ('admin', 'supervisor', 'agent')),
    password_hash text not null,
    disabled boolean not null default false,
    created_at timestamptz not null default now()
);

-- A desktop's sign-in: only the SHA-256 of its token is kept, so the table cannot be replayed.
create table staff_sessions (
    token_hash bytea primary key,
    staff bigint not null references staff (id) on delete cascade,
    desktop text not null,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    revoked_at timestamptz
);
create index staff_sessions_by_staff on staff_sessions (staff);

-- Failed sign-ins per login name, for the rate limit (shared by every instance).
create table login_failures (
    login text not null,
    at timestamptz not null default now()
);
create index login_failures_by_login on login_failures (login, at);

-- The WeCom accounts an agent may use (supervisors and admins may use all).
create table staff_wecom_grants (
    staff bigint not null references staff (id) on delete cascade,
    corp bigint not null references wecom_corps (id) on delete cascade,
    open_kfid text not null,
    primary key (staff, corp, open_kfid)
);

-- Messages sent through the server (origin 0): sync_msg never returns them, so the server keeps
-- them, with who sent them from which desktop. `seq` orders the archive as it grew: the
-- desktops' cursor when they read through the server's gateway.
alter table wecom_messages add column sent_by bigint references staff (id), add column desktop text,
    add column seq bigserial;
create index wecom_messages_by_account on wecom_messages (corp, open_kfid, send_time);
create unique index wecom_messages_by_seq on wecom_messages (corp, open_kfid, seq);

-- What the gateway hands a desktop in place of an access_token: only its SHA-256 is kept, and
-- it lives no longer than the session it was given to.
create table gateway_tickets (
    ticket_hash bytea primary key,
    session bytea not null references staff_sessions (token_hash) on delete cascade,
    corp bigint not null references wecom_corps (id) on delete cascade,
    expires_at timestamptz not null
);

-- The team's note on a customer.
create table wecom_notes (
    corp bigint not null references wecom_corps (id) on delete cascade,
    external_userid text not null,
    note text not null,
    updated_by bigint references staff (id),
    updated_at timestamptz not null default now(),
    primary key (corp, external_userid)
);

-- The team's quick replies.
create table quick_replies (
    id bigserial primary key,
    text text not null,
    created_by bigint references staff (id),
    created_at timestamptz not null default now()
);

-- Every change and every message sent: who (null = the server itself), from which desktop,
-- what, when. Message text stays in the archive; the entry names its msgid.
create table audit_log (
    id bigserial primary key,
    at timestamptz not null default now(),
    staff bigint references staff (id),
    desktop text,
    action text not null,
    detail jsonb not null default '{}'
);
create index audit_log_by_time on audit_log (at desc, id desc);
