-- Issue 18, item 5: Jenkins build requests are sent as the messaging library's durable outgoing calls
-- (durable_call, library migration V1_3, kind 'jenkins-build', key the application); build_request stays the
-- request's record and follows its call. Requests still pending get their call here.
insert into durable_call (kind, call_key, application, target, secret_name, body, status, attempts, next_attempt_at,
                          created_at)
select 'jenkins-build', application, application,
       rtrim(jenkins_url, '/') || '/job/' || replace(jenkins_job, '/', '/job/') || '/buildWithParameters',
       credentials,
       json_build_object('application', application, 'commit', commit_id, 'branch', branch,
                         'repository', repository, 'jenkinsUrl', jenkins_url, 'job', jenkins_job)::text,
       'PENDING', attempts, now(), requested_at
from build_request where phase = 'PENDING' order by id;
