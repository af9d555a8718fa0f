-- 一月一评估's weights and reports (issue 17.4, 17.5). Weights are versions: a save is a new row
-- with the next number, never an update (plain MergeTree, nothing replaces anything), so a report
-- that names version 3 can always be read back with version 3's weights. `weights` is the JSON of
-- the criteria's whole percentages (shared/evaluation-weights.ts).
CREATE TABLE IF NOT EXISTS evaluation_weights
(
    version UInt32,
    weights String,
    author String,
    created_at DateTime64(3, 'Asia/Shanghai'),
    note String
)
ENGINE = MergeTree
ORDER BY version;

-- The archive of reports: every generation is kept (the scheduler's and each one asked for), with
-- the weights version it used, the figures it printed (JSON, so a table can be compared with the
-- evaluation query without reading the PDF) and the PDF itself, base64 (JSON rows carry text; a
-- year of reports is a few MB).
CREATE TABLE IF NOT EXISTS evaluation_reports
(
    id String,
    period LowCardinality(String),
    period_start Date,
    scope String,
    weights_version UInt32,
    figures String CODEC(ZSTD(3)),
    pdf String CODEC(ZSTD(3)),
    sha256 String,
    bytes UInt32,
    generated_by String,
    generated_at DateTime64(3, 'Asia/Shanghai')
)
ENGINE = MergeTree
ORDER BY (period, period_start, scope, generated_at);
