-- Listing live resources in the default order (meta.created, then id) and counting them, from the
-- index alone: with `deleted` in the index, SQLite reads no table row to test it, neither for
-- the count of a page without a filter nor for the rows that OFFSET skips.
CREATE INDEX resources_live_by_created ON resources (tenant, resource_type, deleted, created, id);
DROP INDEX resources_by_created;
