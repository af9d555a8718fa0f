-- A retried insert (same insert_deduplication_token: a lost answer, a reset connection) is dropped
-- by `events`, but since ClickHouse 24.x the block still flows into the materialized views, and
-- each view's target deduplicates on its own — only if it keeps a deduplication window. Without
-- one, every retry counted its events twice in the per-minute and per-day rollups (the wall's KPIs
-- and trend). Found by bench/faults.ts (ClickHouse connections reset mid-insert).
ALTER TABLE events_minute MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE events_day MODIFY SETTING non_replicated_deduplication_window = 10000;
