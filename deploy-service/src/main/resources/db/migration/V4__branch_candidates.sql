-- Data branches (issue 18): a model trained on a branch other than main is a candidate only. Its gates are evaluated
-- against staging (model.candidate-evaluated) and staging never moves to it, not even by hand.
ALTER TABLE candidate ADD COLUMN branch text NOT NULL DEFAULT 'main';
