-- The practice network (中心/所/站/点), one row per node; replaced whole when a county is re-seeded.
CREATE TABLE IF NOT EXISTS nodes
(
    id String,
    level LowCardinality(String),
    name String,
    parent_id Nullable(String),
    institute_id Nullable(String),
    lat Float64,
    lon Float64,
    kind LowCardinality(Nullable(String)),
    code String
)
ENGINE = ReplacingMergeTree
ORDER BY id;

-- County outline and generated town areas as GeoJSON text, keyed by kind ('county', 'outline', 'towns').
CREATE TABLE IF NOT EXISTS network_geo
(
    kind String,
    body String
)
ENGINE = ReplacingMergeTree
ORDER BY kind;

-- Registered volunteers (志愿者): 总队 → 支队 → 队 → 专业队 is carried by team_id's prefix.
CREATE TABLE IF NOT EXISTS volunteers
(
    id String,
    name String,
    phone String,
    team_id String,
    institute_id String,
    station_id String,
    skills Array(LowCardinality(String)),
    registered_at DateTime('Asia/Shanghai')
)
ENGINE = ReplacingMergeTree
ORDER BY id;

-- Every event, one wide row. The sorting key ends in the event id and holds only columns fixed by
-- the event itself, so a re-sent event collapses onto its first copy (ReplacingMergeTree); the
-- per-batch insert_deduplication_token makes a replayed batch a no-op before it reaches the views.
CREATE TABLE IF NOT EXISTS events
(
    id UUID,
    type LowCardinality(String),
    ts DateTime64(3, 'Asia/Shanghai'),
    node_id String,
    institute_id String,
    subject_id String,
    volunteer_id String,
    tag LowCardinality(String),
    value Float64,
    actor String,
    person_name String,
    person_phone String,
    title String,
    version UInt32,
    lat Float64,
    lon Float64,
    ingested_at DateTime64(3, 'Asia/Shanghai') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (type, toDate(ts), node_id, id)
SETTINGS non_replicated_deduplication_window = 10000;

-- Per-minute aggregates feeding every trend and KPI tile.
CREATE TABLE IF NOT EXISTS events_minute
(
    minute DateTime('Asia/Shanghai'),
    type LowCardinality(String),
    institute_id String,
    node_id String,
    tag LowCardinality(String),
    events UInt64,
    value Float64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (type, minute, institute_id, node_id, tag);

CREATE MATERIALIZED VIEW IF NOT EXISTS events_minute_mv TO events_minute AS
SELECT
    toStartOfMinute(ts) AS minute,
    type,
    institute_id,
    node_id,
    tag,
    count() AS events,
    sum(value) AS value
FROM events
GROUP BY minute, type, institute_id, node_id, tag;
