-- Rollups for the panels that counted distinct activities or grouped reads by article over raw
-- events (evaluation, brands.ranking, media.propagation): seconds for a year's period over 100 M
-- events. A practice activity happens at one site on one day, and an article is read in bursts over
-- a few days, so a day of check-ins is a few rows per activity-site and an hour of reads a few rows
-- per article. Both deduplicate a retried block on their own (see 004_rollup_dedup.sql).

-- Check-ins per activity, site and day: distinct activities per unit and period, and an activity's
-- participants, read here.
CREATE TABLE IF NOT EXISTS activity_day
(
    day Date,
    institute_id String,
    node_id String,
    activity String,
    checkins UInt64
)
ENGINE = SummingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, institute_id, node_id, activity)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS activity_day_mv TO activity_day AS
SELECT toDate(ts) AS day, institute_id, node_id, subject_id AS activity, count() AS checkins
FROM events
WHERE type = 'checkin'
GROUP BY day, institute_id, node_id, activity;

-- Reads and shares per article, reporting site and hour (media.read: reads in `value`, shares in `version`).
CREATE TABLE IF NOT EXISTS media_read_hour
(
    hour DateTime('Asia/Shanghai'),
    node_id String,
    article String,
    reads Float64,
    shares UInt64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, node_id, article)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS media_read_hour_mv TO media_read_hour AS
SELECT toStartOfHour(ts) AS hour, node_id, subject_id AS article, sum(value) AS reads, sum(toUInt64(version)) AS shares
FROM events
WHERE type = 'media.read'
GROUP BY hour, node_id, article;

-- A store created before this migration gets its history rolled up once.
INSERT INTO activity_day
SELECT toDate(ts) AS day, institute_id, node_id, subject_id AS activity, count() AS checkins
FROM events
WHERE type = 'checkin' AND (SELECT count() FROM activity_day) = 0
GROUP BY day, institute_id, node_id, activity;

INSERT INTO media_read_hour
SELECT toStartOfHour(ts) AS hour, node_id, subject_id AS article, sum(value) AS reads, sum(toUInt64(version)) AS shares
FROM events
WHERE type = 'media.read' AND (SELECT count() FROM media_read_hour) = 0
GROUP BY hour, node_id, article;
