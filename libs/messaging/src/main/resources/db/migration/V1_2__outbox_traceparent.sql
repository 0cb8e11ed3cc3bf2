-- The W3C traceparent of the work that wrote the event (the webhook, build call, approval or consumed
-- event it continues), so the relay publishes it in that trace. Null when tracing is off.
-- V1_1 sits between the library's V1 and the services' own migrations; databases that already ran
-- those apply it out of order (quarkus.flyway.out-of-order, set by this library).
alter table outbox_event add column traceparent text;
