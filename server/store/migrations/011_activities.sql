-- Activities organisers publish (活动发布) and the volunteers' sign-ups (活动报名). Few rows (the
-- county holds ~7,200 activities a year): the server keeps the open ones in memory and decides
-- every sign-up there, one at a time, since capacity needs a single writer and ClickHouse has no
-- transactions; these tables are what that memory is rebuilt from after a restart. A change is a
-- new row with a higher version; read with FINAL. Check-ins and check-outs are events (checkin /
-- checkout with the activity's id), not rows here.
CREATE TABLE IF NOT EXISTS activities
(
    id String,
    title String,
    category LowCardinality(String),
    node_id String,
    institute_id String,
    starts_at DateTime64(3, 'Asia/Shanghai'),
    ends_at DateTime64(3, 'Asia/Shanghai'),
    capacity UInt32,
    brand_id String,
    status LowCardinality(String),
    created_by String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

CREATE TABLE IF NOT EXISTS activity_signups
(
    activity_id String,
    volunteer_id String,
    volunteer_name String,
    signed_up_at DateTime64(3, 'Asia/Shanghai'),
    withdrawn UInt8,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (activity_id, volunteer_id);
