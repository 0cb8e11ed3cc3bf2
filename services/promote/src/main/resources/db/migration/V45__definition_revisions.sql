-- Pipeline definitions are versioned: every save keeps its text as a numbered revision, and a promotion request
-- remembers the revision it was asked under (its approval rules, people and gates), so a later change of rules
-- never turns the approvals already given into enough by itself.

alter table pipeline_definition add column revision integer not null default 1;

create table pipeline_definition_revision (
    application    text        not null,
    revision       integer     not null,
    yaml           text        not null,
    saved_by       text        not null,
    saved_at       timestamptz not null,
    -- Stages whose approval rules, approvers or gates this revision changed, comma-separated; empty for none.
    gates_changed  text        not null default '',
    primary key (application, revision)
);

-- The definitions saved before versioning are their revision 1.
insert into pipeline_definition_revision (application, revision, yaml, saved_by, saved_at)
select application, 1, yaml, updated_by, updated_at from pipeline_definition;

-- Null for requests opened before versioning: they are held to the current definition only, as before.
alter table promotion_request add column definition_revision integer;
update promotion_request set definition_revision = 1 where phase = 'PENDING';
