-- Pull request checks (issue 18). Every version's pipeline runs for the branch it was committed on, so each stage
-- records that branch: a version fast-forwarded into main runs once on its branch (a candidate) and once on main.
ALTER TABLE pipeline_stage ADD COLUMN branch text NOT NULL DEFAULT 'main';
DROP INDEX pipeline_stage_version;
CREATE INDEX pipeline_stage_version ON pipeline_stage (dataset_slug, data_version, branch, at);

-- Protection may also wait for the checks: the pipeline on the head of "from" ended well.
ALTER TABLE branch_protection ADD COLUMN require_checks boolean NOT NULL DEFAULT false;

-- Open pull requests are looked up by their "from" branch whenever a pipeline stage of one of its versions arrives.
CREATE INDEX pull_request_open_from ON pull_request (dataset_id, from_branch) WHERE state = 'open';

-- The head of "from" whose completed checks were last announced (pull.checks-completed), so each head is announced once.
ALTER TABLE pull_request ADD COLUMN checks_reported text;
