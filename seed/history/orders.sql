-- Service orders through 群众点单 → 中心制单 → 层层派单 → 志愿者接单: one event per transition, version
-- counting from 1. Most end rated; a few are rejected, cancelled before a claim, or expire unclaimed.
-- Steps that would fall after now are left out, so recent orders are still open. Each step is placed
-- where the dispatch service places it (server/dispatch/projection.ts holderNode): the venue while
-- the center holds the order, the town's 所 once dispatched there, the venue's 站 from then on.
INSERT INTO events (id, type, ts, node_id, institute_id, subject_id, volunteer_id, tag, actor, title, version)
SELECT generateUUIDv4(), 'order.transition', fromUnixTimestamp64Milli(o.requested_ms + o.step_offset, {tz:String}),
       multiIf(o.state = 'dispatched_institute', o.institute_id,
               o.state IN ('dispatched_station', 'claimed', 'in_service', 'completed', 'rated', 'expired'), o.station_id,
               o.node_id),
       o.institute_id, o.order_id, if(o.claimed, o.volunteer_id, ''), o.state,
       multiIf(o.state IN ('requested', 'cancelled', 'rated'), '群众',
               o.state IN ('accepted_by_center', 'dispatched_institute', 'rejected'), {centerName:String},
               o.state = 'dispatched_station', {venueInstituteNames:Array(String)}[o.venue],
               o.state = 'expired', '系统',
               v.name),
       multiIf(o.state = 'requested', o.service, o.state = 'rejected', {rejectedReason:String},
               o.state = 'cancelled', {cancelledReason:String}, o.state = 'expired', {expiredReason:String}, ''),
       o.version
FROM
(
    SELECT
        n, venue, node_id, institute_id, station_id, order_id, requested_ms, volunteer_id, service, state, step_offset, version,
        has(['claimed', 'in_service', 'completed', 'rated'], state) AS claimed
    FROM
    (
        SELECT
            number AS n,
            1 + cityHash64(n, {seed:UInt64}, 'venue') % length({venueIds:Array(String)}) AS venue,
            {venueIds:Array(String)}[venue] AS node_id,
            {venueInstitutes:Array(String)}[venue] AS institute_id,
            concat('ORD-', leftPad(toString(n + 1), 6, '0')) AS order_id,
            arrayFirstIndex(c -> c > (cityHash64(n, {seed:UInt64}, 'day') % 1000000) / 1e6, {orderDayCdf:Array(Float64)}) - 1 AS day,
            arrayFirstIndex(c -> c > (cityHash64(n, {seed:UInt64}, 'hour') % 1000000) / 1e6, {orderCdf:Array(Float64)}) - 1 AS hour,
            {day0:Int64} - day * 86400000 + hour * 3600000 + toInt64(cityHash64(n, {seed:UInt64}, 'minute') % 3600000) AS at0,
            if(at0 > {now:Int64}, at0 - 365 * 86400000, at0) AS requested_ms,
            {venueStations:Array(UInt32)}[venue] AS station,
            {stationIds:Array(String)}[station + 1] AS station_id,
            greatest(1, intDiv(toInt64({registered:UInt32}) - 1 - station, {stations:UInt32}) + 1) AS at_station,
            if(station < {registered:UInt32}, station + {stations:UInt32} * (cityHash64(n, {seed:UInt64}, 'who') % at_station),
               cityHash64(n, {seed:UInt64}, 'who') % {registered:UInt32}) AS vi,
            concat('V', leftPad(toString(vi + 1), 6, '0')) AS volunteer_id,
            {orderServices:Array(String)}[1 + cityHash64(n, {seed:UInt64}, 'service') % length({orderServices:Array(String)})] AS service,
            cityHash64(n, {seed:UInt64}, 'fate') % 1000 AS fate,
            {happyPath:Array(String)} AS full,
            multiIf(fate < 30, ['requested', 'rejected'],
                    fate < 60, arrayPushBack(arraySlice(full, 1, 1 + cityHash64(n, {seed:UInt64}, 'quit') % 4), 'cancelled'),
                    fate < 80, arrayPushBack(arraySlice(full, 1, 4), 'expired'),
                    fate < 200, arraySlice(full, 1, 7),
                    full) AS path,
            -- minutes each step takes after the previous one, from the per-state [min, min + span) table
            arrayCumSum(arrayMap((s, i) -> toInt64(60000 * ({gapMin:Array(UInt32)}[indexOf({gapStates:Array(String)}, s)]
                + cityHash64(n, i, {seed:UInt64}) % {gapSpan:Array(UInt32)}[indexOf({gapStates:Array(String)}, s)])),
                path, arrayEnumerate(path))) AS offsets
        FROM numbers({orders:UInt32})
    )
    ARRAY JOIN path AS state, offsets AS step_offset, arrayEnumerate(path) AS version
    WHERE requested_ms + step_offset <= {now:Int64}
) AS o
LEFT JOIN (SELECT id, name FROM volunteers FINAL) AS v ON v.id = o.volunteer_id
