-- Several replicas of promote send Slack messages: a sender claims the due messages it sends (in a short
-- transaction, FOR UPDATE SKIP LOCKED), and the others leave a claimed message alone until claimed_until.
-- A replica that crashed while it held a claim has its messages taken over once the claim expires.
alter table slack_message add column claimed_until timestamptz;
