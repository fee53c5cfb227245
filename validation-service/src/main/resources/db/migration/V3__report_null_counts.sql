-- How many records have no value in each column of the version's schema (and each field with rules): the report's
-- data-quality metrics (also in OpenLineage's dataQualityMetrics facet). Reports from before stay without it.
ALTER TABLE validation_report ADD COLUMN null_counts_json text;
