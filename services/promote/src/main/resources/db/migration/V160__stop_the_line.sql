-- Stop the line: an operator halts every automatic and manual promotion of one application (scope = its name) or
-- of all of them (scope = '*') until someone resumes it. One row per scope while it is stopped.
create table line_stop (
    scope       text        primary key,
    stopped_by  text        not null,
    identity    text        not null,
    via         text        not null,
    reason      text        not null,
    stopped_at  timestamptz not null
);

-- Stopping and resuming the line are audited beside the other decisions; they name no stage or digest, and a stop
-- of every application is recorded under the application '*'.
alter table promotion_decision alter column stage drop not null;
alter table promotion_decision alter column digest drop not null;

-- What the rollback service found about a rollback (service.rolledback's evidence), shown beside it.
alter table deployment add column evidence text;
