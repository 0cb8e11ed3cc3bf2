-- The history API's rollback target query (HistoryPages.target) asks, per candidate move, whether its digest was
-- found healthy in the stage; this partial index answers that with one lookup, so a page's cost does not grow with
-- the number of moves. Paging itself walks deployment_by_stage (application, stage, id) backwards.
create index if not exists deployment_healthy_by_digest on deployment (application, stage, digest)
    where healthy_at is not null;
