-- GET /api/v1/applications/{app}/builds pages the artifacts by id (keyset, newest first) and shows the newest
-- build requests and failed CI runs: these indexes answer "application = ? [and id < ?] order by id desc limit ?"
-- without reading and sorting the application's whole history.
create index if not exists artifact_by_application on artifact (application, id);
create index if not exists build_request_by_application on build_request (application, id);
create index if not exists build_failure_by_application on build_failure (application, id);
