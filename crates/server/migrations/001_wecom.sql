-- WeCom corps connected to this server, their accounts' cursors, and the shared archive.
-- Secrets (the corp secret, the callback Token and EncodingAESKey) are sealed with the
-- operator's key (AES-256-GCM): the database never holds them in the clear.
create table wecom_corps (
    id bigserial primary key,
    corp_id text not null unique,
    api_base text not null,
    secret bytea not null,
    callback_token bytea not null,
    encoding_aes_key bytea not null,
    created_at timestamptz not null default now()
);

-- Where reading stopped, per account: updated in the same transaction as the page it follows.
create table wecom_cursors (
    corp bigint not null references wecom_corps (id) on delete cascade,
    open_kfid text not null,
    cursor text not null default '',
    read_at timestamptz,
    primary key (corp, open_kfid)
);

-- Every message and event sync_msg returned (WeCom's msgid is unique per account).
create table wecom_messages (
    corp bigint not null references wecom_corps (id) on delete cascade,
    open_kfid text not null,
    msgid text not null,
    external_userid text,
    origin smallint not null,
    msgtype text not null,
    send_time bigint not null,
    body jsonb not null,
    archived_at timestamptz not null default now(),
    primary key (corp, open_kfid, msgid)
);
create index wecom_messages_by_customer on wecom_messages (corp, external_userid, send_time);

-- Callbacks already taken (WeCom retries an unanswered one): the same one twice changes nothing.
create table wecom_callbacks_seen (
    corp bigint not null references wecom_corps (id) on delete cascade,
    msg_signature text not null,
    seen_at timestamptz not null default now(),
    primary key (corp, msg_signature)
);
