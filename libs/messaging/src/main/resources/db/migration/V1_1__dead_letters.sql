-- Dead letters of the messaging library (libs/messaging): records a consumer can never apply as they are, kept so
-- people can list them and replay them once the cause is fixed. Numbered 1.1 so it sits with the library's V1;
-- databases that already ran the services' later migrations apply it out of order (quarkus.flyway.out-of-order).
create table dead_letter (
    id               bigserial   primary key,
    consumer         text        not null,
    topic            text        not null,
    record_partition int         not null,
    record_offset    bigint      not null,
    record_key       text,
    event_id         text,
    event_type       text,
    reason           text        not null,
    attempts         int         not null,
    payload          bytea       not null,
    headers          text        not null,
    dead_lettered_at timestamptz not null default now(),
    replayed_at      timestamptz,
    replayed_by      text,
    unique (consumer, topic, record_partition, record_offset)
);
create index dead_letter_unreplayed on dead_letter (topic) where replayed_at is null;

-- Pruning sent outbox rows and old inbox rows reads them by age.
create index outbox_event_sent_at on outbox_event (sent_at) where sent_at is not null;
create index inbox_received_at on inbox (received_at);
