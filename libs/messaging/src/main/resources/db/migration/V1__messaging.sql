-- Outbox and inbox of the messaging library (libs/messaging). Services number their own
-- migrations from V2 on.

-- Events written in the same transaction as the state change they announce; the relay
-- publishes them in id order and stamps sent_at once Kafka acknowledged them.
create table outbox_event (
    id          bigserial primary key,
    event_id    text        not null unique,
    topic       text        not null,
    record_key  text        not null,
    payload     bytea       not null,
    headers     text        not null,
    created_at  timestamptz not null default now(),
    sent_at     timestamptz
);
create index outbox_event_unsent on outbox_event (id) where sent_at is null;

-- One row per (consumer, event) already applied: a redelivered event finds its row and changes nothing.
create table inbox (
    consumer     text        not null,
    event_id     text        not null,
    received_at  timestamptz not null default now(),
    primary key (consumer, event_id)
);
