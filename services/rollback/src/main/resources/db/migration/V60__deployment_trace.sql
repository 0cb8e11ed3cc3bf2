-- The W3C traceparent of the promotion event a deployment was recorded from: a rollback of it joins that trace.
alter table deployment add column traceparent text;
