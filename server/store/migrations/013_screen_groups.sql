-- Screen groups of meeting control (联席会议: 主屏, 左屏, 右屏 …): which wall token's screens belong to
-- which group, kept in the store so every node reads the same assignment. One row per change, the
-- highest `updated_at` wins; an empty group takes the token out of every group.
CREATE TABLE IF NOT EXISTS screen_groups
(
    token_id String,
    group_name String,
    updated_by String,
    updated_at DateTime64(3, 'Asia/Shanghai')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY token_id;
