-- Chinese substring search over the shared archive. Chinese has no spaces between words, so
-- the archive indexes every two-character piece (bigram) of a text message: a search for a
-- word of two or more characters first narrows to the messages holding all its bigrams (GIN),
-- then checks the word itself. pg_trgm would not do: it takes words between non-alphanumeric
-- characters and, under the C locale, sees no Chinese letters at all.
create function kefu_bigrams(t text) returns text[]
    language sql immutable strict parallel safe
    return array(select distinct substr(t, i, 2) from generate_series(1, char_length(t) - 1) as i);

alter table wecom_messages
    add column search_text text generated always as (lower(body -> 'text' ->> 'content')) stored,
    add column search_bigrams text[] generated always as (kefu_bigrams(lower(body -> 'text' ->> 'content'))) stored;
create index wecom_messages_bigrams on wecom_messages using gin (search_bigrams);
-- Newest first: a common word finds its newest matches walking this, a rare one through the
-- bigrams; the planner chooses by the words' statistics.
create index wecom_messages_newest on wecom_messages (send_time desc, seq desc);
