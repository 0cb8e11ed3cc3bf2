-- Typed state (issue 18): a promotion's phase and every decision are enums stored by name, on one word list.
-- A waiting promotion was PENDING; it is WAITING now (the word people read: "waits to enter", gate state WAITING).
-- Decisions were stored as lower-case words (approve); they are stored by name now (APPROVE), as the API still shows
-- their word. Existing rows are rewritten, nothing is dropped.

drop index promotion_request_open;
drop index promotion_request_due;
update promotion_request set phase = 'WAITING' where phase = 'PENDING';
alter table promotion_request add constraint promotion_request_phase
    check (phase in ('WAITING', 'PROMOTED', 'REJECTED', 'LAPSED', 'SUPERSEDED'));
create unique index promotion_request_open on promotion_request (application, stage, digest) where phase = 'WAITING';
create index promotion_request_due on promotion_request (next_check_at) where phase = 'WAITING';

update promotion_decision set decision = upper(decision);
alter table promotion_decision add constraint promotion_decision_kind
    check (decision in ('APPROVE', 'REJECT', 'PROMOTE', 'PIN', 'UNPIN', 'STOP', 'RESUME', 'ROLLBACK'));
