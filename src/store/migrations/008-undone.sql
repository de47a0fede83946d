-- Version 7 to 8 (see schema.sql): undo marks the entry it reverts undone,
-- with when and by whom, instead of deleting it, so that `--known-on` can
-- answer for an instant between a change and its undo. Entries undone
-- before this upgrade were deleted: the journal cannot answer for them.
ALTER TABLE journal ADD COLUMN undone_at TEXT;
ALTER TABLE journal ADD COLUMN undone_by TEXT;
