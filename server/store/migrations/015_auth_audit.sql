-- The auth audit trail (server/auth/audit.ts): logins, failed logins, lockouts, account and token
-- changes, emergency switches, unmasked-data views — every node's acts in one table, so an admin
-- reads the whole county's trail at any node. Each node journals an act first (DATA_DIR) and writes
-- it here in blocks; `id` is made by the node that recorded the act, so a block written twice
-- (its answer lost, then retried, or replayed after a crash) collapses: read with FINAL.
CREATE TABLE IF NOT EXISTS auth_audit
(
    id String,
    at DateTime64(3, 'Asia/Shanghai'),
    node String,
    action LowCardinality(String),
    actor String,
    result LowCardinality(String),
    ip String,
    subject String
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (at, id);
