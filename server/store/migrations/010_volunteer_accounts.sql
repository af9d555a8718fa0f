-- Volunteers' phone accounts (志愿者招募): a registration waits here until a town dispatcher decides
-- it; approval also writes the volunteer into `volunteers`, so the console's candidates and the
-- wall join them by the same id. One row per change, the highest `updated_at` wins (the server
-- loads them all at start and writes each change through before answering it).
CREATE TABLE IF NOT EXISTS volunteer_accounts
(
    id String,
    name String,
    phone String,
    institute_id String,
    station_id String,
    skills Array(LowCardinality(String)),
    availability Array(LowCardinality(String)),
    password_hash String,
    status LowCardinality(String),
    reason String,
    decided_by String,
    created_at DateTime64(3, 'Asia/Shanghai'),
    updated_at DateTime64(3, 'Asia/Shanghai')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY id;
