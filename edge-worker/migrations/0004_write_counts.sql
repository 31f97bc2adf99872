-- A counter per tenant and resource type that every write batch of the store increments. A list
-- query's total, counted once, is still exact while the counter has not moved: the Worker keeps
-- the totals of costly counts (a filter over thousands of JSON documents) per isolate and
-- checks the counter, one primary-key read in the same batch as the page, instead of counting.
CREATE TABLE write_counts (
  tenant        TEXT    NOT NULL,
  resource_type TEXT    NOT NULL,
  writes        INTEGER NOT NULL,
  PRIMARY KEY (tenant, resource_type)
) WITHOUT ROWID;
