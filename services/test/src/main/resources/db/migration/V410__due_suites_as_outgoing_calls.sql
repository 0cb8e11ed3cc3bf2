-- Issue 18, item 5: the due suite runs (http-smoke checks whose turn came, external suites' deadlines) are swept by
-- the messaging library's durable outgoing calls (durable_call, library V1_3) instead of the test service's own
-- claim on pending_suite. pending_suite stays what it was, the record of each run that started and has not
-- finished (results, cancellations and the API read it); only its scheduling moves. Every pending run gets its call
-- here, kind 'suite-run', due when the run was (an http-smoke check at once, an external suite at its deadline), so
-- nothing pending is drained or lost; the old claim columns go.
insert into durable_call (kind, call_key, application, stage, digest, target, secret_name, body, status, attempts,
                          next_attempt_at, attempt_log, created_at)
select 'suite-run', application || '/' || stage || '/' || suite || '/' || digest || '#' || attempt,
       application, stage, digest, kind || ':' || suite, null,
       json_build_object('application', application, 'stage', stage, 'digest', digest, 'suite', suite,
                         'attempt', attempt)::text,
       'PENDING', 0, due_at, 'moved from pending_suite ' || id, started_at
from pending_suite
order by id;

drop index pending_suite_due;
alter table pending_suite drop column claim, drop column claimed_until;
