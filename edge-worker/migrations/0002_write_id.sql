-- Random id of a resource's last write. The membership statements of a replace run in the same
-- D1 batch as its compare-and-swap UPDATE, and act only if the row carries that write's id: a
-- lost compare-and-swap then changes nothing.
ALTER TABLE resources ADD COLUMN write_id TEXT NOT NULL DEFAULT '';
