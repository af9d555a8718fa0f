-- Per-month rollups for the monthly evaluation (一月一评估) and its half-year and year views: every
-- period starts on the first of a month, so a year of a unit's figures is twelve rows per site and
-- type here instead of 365 in events_day (a year's 站 ranking read 3 M rows at 100 M events).
-- Distinct activities keep a uniqExact state per site and month, merged exactly across months
-- (an activity can run in two). Both deduplicate a retried block on their own (see 004).
-- Each is fed from a daily rollup's insert, not from `events`: that block is already a few rows
-- per site and type, so each ingest insert groups a handful of rows for them, not every event.

CREATE TABLE IF NOT EXISTS events_month
(
    month Date,
    type LowCardinality(String),
    institute_id String,
    node_id String,
    tag LowCardinality(String),
    events UInt64,
    value Float64
)
ENGINE = SummingMergeTree
PARTITION BY toYear(month)
ORDER BY (type, month, institute_id, node_id, tag)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS events_month_mv TO events_month AS
SELECT
    toStartOfMonth(day) AS month,
    type,
    institute_id,
    node_id,
    tag,
    sum(events) AS events,
    sum(value) AS value
FROM events_day
GROUP BY month, type, institute_id, node_id, tag;

CREATE TABLE IF NOT EXISTS activity_month
(
    month Date,
    institute_id String,
    node_id String,
    activities AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(month)
ORDER BY (month, institute_id, node_id)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS activity_month_mv TO activity_month AS
SELECT toStartOfMonth(day) AS month, institute_id, node_id, uniqExactState(activity) AS activities
FROM activity_day
GROUP BY month, institute_id, node_id;

-- A store created before this migration gets its history rolled up once, from the daily rollups.
INSERT INTO events_month
SELECT toStartOfMonth(day) AS month, type, institute_id, node_id, tag, sum(events) AS events, sum(value) AS value
FROM events_day
WHERE (SELECT count() FROM events_month) = 0
GROUP BY month, type, institute_id, node_id, tag;

INSERT INTO activity_month
SELECT toStartOfMonth(day) AS month, institute_id, node_id, uniqExactState(activity) AS activities
FROM activity_day
WHERE (SELECT count() FROM activity_month) = 0
GROUP BY month, institute_id, node_id;
