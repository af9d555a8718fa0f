-- 群众点单 from the public pages: what the order's transitions do not carry — the category and time
-- window asked for, the citizen's note and phone (for the volunteer to call; read unmasked only by
-- the order's dispatchers, audited) and the citizen's rating. One row per order; a rating writes
-- the row again with a higher `ver`, so FINAL reads the latest.
CREATE TABLE IF NOT EXISTS citizen_orders
(
    order_id String,
    node_id String,
    category LowCardinality(String),
    window_from DateTime64(3, 'Asia/Shanghai'),
    window_to DateTime64(3, 'Asia/Shanghai'),
    note String,
    phone String,
    created_at DateTime64(3, 'Asia/Shanghai'),
    score UInt8 DEFAULT 0,
    comment String DEFAULT '',
    rate_command_id String DEFAULT '',
    ver UInt64
)
ENGINE = ReplacingMergeTree(ver)
ORDER BY order_id;

-- Tracking links: only the SHA-256 of each token is kept, so the table cannot be turned back into
-- links. A retried 点单 (same command id) is answered with a new token for the same order.
CREATE TABLE IF NOT EXISTS track_tokens
(
    token_hash String,
    order_id String,
    created_at DateTime64(3, 'Asia/Shanghai')
)
ENGINE = ReplacingMergeTree
ORDER BY token_hash;
