-- The dispatch audit trail: every attempt on an order (accepted, refused or a replayed retry), with
-- who, when, the order's state and version before and after, and the outcome. Append-only; `seq`
-- orders the attempts the server handled. Accepted transitions are also events (order.transition).
CREATE TABLE IF NOT EXISTS dispatch_audit
(
    seq UInt64,
    at DateTime64(3, 'Asia/Shanghai'),
    actor_id String,
    actor_name String,
    actor_role LowCardinality(String),
    action LowCardinality(String),
    command_id String,
    order_id String,
    institute_id String,
    assignees Array(String),
    before_state LowCardinality(String),
    before_version UInt32,
    after_state LowCardinality(String),
    after_version UInt32,
    result LowCardinality(String),
    code LowCardinality(String),
    message String,
    INDEX assignees_idx assignees TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (order_id, seq);
