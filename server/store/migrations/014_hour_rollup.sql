-- Per-hour aggregates. The bulk of a busy county's events barely collapse per minute (100 M events
-- filled 80 M rows of events_minute: a site's minute holds one or two of a kind), so a day of
-- today's KPI sums or a week of an hourly trend read hundreds of thousands of minute rows. Per hour
-- a site holds a handful of rows a type. Readers take whole hours here and the hour in progress
-- (or a window's partial first hour) from events_minute, so every sum is the same as before.
-- Fed from events_minute's insert, as events_month is from events_day's (007): that block is
-- already grouped per minute. Deduplicates a retried block on its own (see 004).
CREATE TABLE IF NOT EXISTS events_hour
(
    hour DateTime('Asia/Shanghai'),
    type LowCardinality(String),
    institute_id String,
    node_id String,
    tag LowCardinality(String),
    events UInt64,
    value Float64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (type, hour, institute_id, node_id, tag)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS events_hour_mv TO events_hour AS
SELECT
    toStartOfHour(minute) AS hour,
    type,
    institute_id,
    node_id,
    tag,
    sum(events) AS events,
    sum(value) AS value
FROM events_minute
GROUP BY hour, type, institute_id, node_id, tag;

-- A store created before this migration gets its history rolled up once, from the minute rollup.
INSERT INTO events_hour
SELECT toStartOfHour(minute) AS hour, type, institute_id, node_id, tag, sum(events) AS events, sum(value) AS value
FROM events_minute
WHERE (SELECT count() FROM events_hour) = 0
GROUP BY hour, type, institute_id, node_id, tag;
