-- 两中心融合: one row per published article (brand, activity, title), kept by a view. The media
-- panels (brands.ranking, media.propagation) joined each read of their window to a subquery that
-- grouped every media.published event, titles included, once per join; they join this instead.
-- A re-published article is replaced on merge: read it with FINAL.
CREATE TABLE IF NOT EXISTS articles
(
    id String,
    brand String,
    activity String,
    title String,
    node_id String,
    published DateTime64(3, 'Asia/Shanghai')
)
ENGINE = ReplacingMergeTree
ORDER BY id
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS articles_mv TO articles AS
SELECT subject_id AS id, actor AS brand, tag AS activity, title, node_id, ts AS published
FROM events
WHERE type = 'media.published';

-- A store created before this migration gets its articles once.
INSERT INTO articles
SELECT subject_id AS id, actor AS brand, tag AS activity, title, node_id, ts AS published
FROM events
WHERE type = 'media.published' AND (SELECT count() FROM articles) = 0;
