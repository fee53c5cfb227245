-- Data branches (issue 18): a version's pipeline runs for the branch it was committed on, and a version fast-forwarded
-- into main runs again for main. A run and the model it registers name that branch; models from branches other than
-- main are candidates (the checks of a pull request), never staged.
ALTER TABLE training_run ADD COLUMN branch text NOT NULL DEFAULT 'main';
ALTER TABLE model_version ADD COLUMN branch text NOT NULL DEFAULT 'main';
-- One validated version gives at most one run per branch pipeline, whatever the redelivery.
DROP INDEX training_run_once_per_validated_version;
CREATE UNIQUE INDEX training_run_once_per_validated_version ON training_run (dataset_slug, data_version, branch) WHERE trigger = 'event';
