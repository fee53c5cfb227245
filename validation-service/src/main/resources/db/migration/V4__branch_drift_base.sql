-- Data branches (issue 18): a report says which branch's pipeline it belongs to, and which version its drift was
-- measured against: the parent for a version on main; for a version on another branch, the head of main (what the
-- branch proposes to change), so a pull request's checks show drift against the data it would replace.
ALTER TABLE validation_report ADD COLUMN branch text NOT NULL DEFAULT 'main';
ALTER TABLE validation_report ADD COLUMN drift_base text;
UPDATE validation_report SET drift_base = parent;
