-- Issue 18, item 5: the rollback service's outgoing calls (deploy hooks, Slack notices) move onto the messaging
-- library's durable outgoing calls (durable_call, library migration V1_3): every call kept with its id, attempts and
-- log; calls of one stage share the key '<application>/<stage>'. A lease in flight is dropped: the call is claimed
-- again at the next sweep.
insert into durable_call (id, kind, call_key, application, stage, digest, target, secret_name, body, status,
                          attempts, next_attempt_at, last_outcome, attempt_log, created_at, finished_at)
select id, kind, application || '/' || stage, application, stage, digest, target, secret_name, body, status,
       attempts, next_attempt_at, last_outcome, attempt_log, created_at, finished_at
from outgoing_call;
select setval(pg_get_serial_sequence('durable_call', 'id'), coalesce((select max(id) from durable_call), 0) + 1, false);
drop table outgoing_call;
