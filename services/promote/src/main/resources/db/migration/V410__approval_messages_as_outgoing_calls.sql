-- Issue 18, item 5: promote's Slack approval messages move onto the messaging library's durable outgoing calls
-- (durable_call, library V1_3), so every durable queue of the project is claimed, retried and listed one way.
-- Every slack_message row becomes a call of kind 'slack-approval' keyed by its request ('request/<id>'), in the
-- order the rows were written, and the table goes: nothing is drained or dropped unsent.
--   * owed messages (sent_at null) stay PENDING, due when they were, with their attempts and last error; the
--     library's sweeper sends them: a request's calls in order, the first posting and the later ones updating the
--     message whose channel and ts the request keeps (promotion_request.slack_channel/slack_ts, as before);
--   * sent messages are kept as SUCCEEDED calls, finished when they were sent.
-- Claims are not carried over: a replica still running the old sender when this runs loses its table and logs it.
insert into durable_call (kind, call_key, application, stage, digest, target, secret_name, body, status, attempts,
                          next_attempt_at, last_outcome, attempt_log, created_at, finished_at)
select 'slack-approval', 'request/' || m.request_id, r.application, r.stage, r.digest, coalesce(r.slack_channel, ''),
       null, json_build_object('text', m.text, 'blocks', m.blocks::json)::text,
       case when m.sent_at is null then 'PENDING' else 'SUCCEEDED' end,
       m.attempts, m.next_attempt_at, m.error,
       'moved from slack_message ' || m.id || ' after ' || m.attempts || ' attempts'
           || coalesce(', the last: ' || m.error, ''),
       coalesce(m.sent_at, m.next_attempt_at), m.sent_at
from slack_message m join promotion_request r on r.id = m.request_id
order by m.id;

drop table slack_message;
