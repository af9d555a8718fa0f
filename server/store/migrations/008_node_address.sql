-- A node's address, as the county's nodes file gives it (counties/README.md); '' for a store
-- seeded before counties were data.
ALTER TABLE nodes ADD COLUMN IF NOT EXISTS address String DEFAULT '';
