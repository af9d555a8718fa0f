-- The bulk load's articles (see bulk.sql): 120 a day over the year before {now}, each published
-- the day before its reads; two in five carry one of 16 brands, half report one of that day's bulk
-- activities at some node. Deterministic for the seed.
INSERT INTO events (id, type, ts, node_id, institute_id, subject_id, tag, actor, title)
SELECT
    generateUUIDv4(),
    'media.published',
    fromUnixTimestamp64Milli({now:Int64} - toInt64((day + 1) * 86400000), {tz:String}),
    {nodeIds:Array(String)}[k],
    {instituteIds:Array(String)}[k],
    concat('BULK-ART-', toString(day), '-', toString(i)),
    if(i % 2 = 0, concat('BULK-ACT-', toString(day), '-', toString(k), '-0'), ''),
    if(branded, concat('BULK-BR-', toString(b)), ''),
    concat(if(branded, concat('【品牌', toString(b), '】'), ''), '文明实践动态 ', toString(day), '-', toString(i))
FROM
(
    SELECT
        intDiv(number, 120) AS day,
        number % 120 AS i,
        cityHash64(number, {seed:UInt64}, 'bulk-article') AS h,
        1 + h % length({nodeIds:Array(String)}) AS k,
        intDiv(h, 1000) % 5 < 2 AS branded,
        intDiv(h, 10000) % 16 AS b
    FROM numbers(365 * 120)
)
