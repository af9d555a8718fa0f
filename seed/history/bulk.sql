-- Bulk load for benchmarks (`npm run db:seed -- --events 100000000`): a chunk of synthetic events
-- spread over the year before {now}, weighted to daytime, on real nodes, in the event mix a busy
-- county produces. Deterministic for (seed, offset). Ids follow the things they count, as real
-- events do: a day's reads go to that day's 120 bulk articles (about the articles' 45,000 a year,
-- published by bulk-articles.sql), a check-in to one of two activities at its node that day.
-- Appeals and orders keep ids drawn from a shared pool of 200,000.
INSERT INTO events (id, type, ts, node_id, institute_id, subject_id, volunteer_id, tag, value, person_name)
SELECT
    generateUUIDv4(),
    multiIf(r < 50, 'media.read', r < 70, 'checkin', r < 90, 'checkout', r < 93, 'appeal.received', r < 96, 'appeal.closed', 'order.transition') AS type,
    fromUnixTimestamp64Milli({now:Int64} - toInt64(day * 86400000 + (24 - hour) * 3600000 + h % 3600000), {tz:String}),
    {nodeIds:Array(String)}[site],
    {instituteIds:Array(String)}[site],
    multiIf(type = 'media.read', concat('BULK-ART-', toString(day), '-', toString(article)),
            type IN ('checkin', 'checkout'), concat('BULK-ACT-', toString(day), '-', toString(k), '-', toString(intDiv(h, 7) % 2)),
            concat('BULK-', toString(n % 200000))),
    concat('V', leftPad(toString(1 + n % 136000), 6, '0')),
    multiIf(type = 'order.transition', 'completed', type = 'appeal.received', 'consult', ''),
    multiIf(type = 'media.read', toFloat64(1 + h % 50), type = 'checkout', 2.5, 0),
    ''
FROM
(
    SELECT
        number + {offset:UInt64} AS n,
        cityHash64(n, {seed:UInt64}) AS h,
        h % 100 AS r,
        intDiv(h, 100) % 365 AS day,
        -- 7:00–21:00 mostly: a triangular draw centred on 14:00
        least(23, 7 + intDiv(h, 36500) % 8 + intDiv(h, 292000) % 8) AS hour,
        1 + intDiv(h, 1000) % length({nodeIds:Array(String)}) AS k,
        h % 120 AS article,
        -- a read report comes from its article's site, as bulk-articles.sql places it
        if(r < 50, 1 + cityHash64(day * 120 + article, {seed:UInt64}, 'bulk-article') % length({nodeIds:Array(String)}), k) AS site
    FROM numbers({count:UInt64})
)
