-- The W3C traceparent of the event that announced the artifact: every later move of the digest joins that trace.
alter table artifact add column traceparent text;
