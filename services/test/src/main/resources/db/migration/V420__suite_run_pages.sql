-- The suite runs API pages an artifact's runs by id (keyset, newest first): this index serves
-- "application = ? and digest = ? and id < ? order by id desc limit ?" without a sort.
create index if not exists suite_run_by_artifact on suite_run (application, digest, id);
