-- Official Accounts connected to this server and what their server URL (服务器配置) received.
-- The AppSecret, the Token and the EncodingAESKey are sealed with the operator's key.
create table mp_accounts (
    id bigserial primary key,
    app_id text not null unique,
    api_base text not null,
    secret bytea not null,
    token bytea not null,
    -- Safe mode (安全模式) when set; plain mode otherwise.
    encoding_aes_key bytea,
    -- Answer each customer message with transfer_customer_service (into the kf queue).
    transfer boolean not null default true,
    created_at timestamptz not null default now()
);

-- Every push, once: a message by its MsgId, an event by who and when (WeChat tries a push up
-- to 3 times; its own advice is to deduplicate events on FromUserName + CreateTime).
create table mp_messages (
    account bigint not null references mp_accounts (id) on delete cascade,
    push_key text not null,
    openid text not null,
    msgtype text not null,
    create_time bigint not null,
    body jsonb not null,
    seq bigserial,
    archived_at timestamptz not null default now(),
    primary key (account, push_key)
);
create index mp_messages_by_customer on mp_messages (account, openid, create_time);
