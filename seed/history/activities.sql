-- Practice activities at stations and points, on the days and hours of the county's rhythm (seed/rhythm.ts,
-- which also times the live simulator's): each participant checks in around the start and out at
-- the end; the check-out carries the hours between the two. Participants are volunteers of the
-- venue's station (volunteer i belongs to station i mod stations, see seed/volunteers.ts).
INSERT INTO events (id, type, ts, node_id, institute_id, subject_id, volunteer_id, value, person_name)
SELECT generateUUIDv4(), e.type, fromUnixTimestamp64Milli(e.ts_ms, {tz:String}), e.node_id, e.institute_id,
       e.activity_id, e.volunteer_id, e.value, v.name
FROM
(
    SELECT
        type,
        {venueIds:Array(String)}[venue] AS node_id,
        {venueInstitutes:Array(String)}[venue] AS institute_id,
        concat('ACT-', leftPad(toString(a + 1), 6, '0')) AS activity_id,
        if(station < {registered:UInt32}, station + {stations:UInt32} * ((first + p) % at_station), (first + p) % {registered:UInt32}) AS vi,
        concat('V', leftPad(toString(vi + 1), 6, '0')) AS volunteer_id,
        start_ms - {checkinBeforeMs:Int64} + toInt64(cityHash64(a, p, {seed:UInt64}, 'in') % {checkinSpanMs:UInt64}) AS in_ms,
        start_ms + duration_ms - {checkoutBeforeMs:Int64} + toInt64(cityHash64(a, p, {seed:UInt64}, 'out') % {checkoutSpanMs:UInt64}) AS out_ms,
        if(type = 'checkin', in_ms, out_ms) AS ts_ms,
        if(type = 'checkout', round((out_ms - in_ms) / 3600000, 2), 0) AS value
    FROM
    (
        SELECT
            number AS a,
            1 + cityHash64(a, {seed:UInt64}, 'venue') % length({venueIds:Array(String)}) AS venue,
            arrayFirstIndex(c -> c > (cityHash64(a, {seed:UInt64}, 'day') % 1000000) / 1e6, {activityDayCdf:Array(Float64)}) - 1 AS day,
            arrayFirstIndex(c -> c > (cityHash64(a, {seed:UInt64}, 'hour') % 1000000) / 1e6, {activityCdf:Array(Float64)}) - 1 AS hour,
            {day0:Int64} - day * 86400000 + hour * 3600000 + toInt64(cityHash64(a, {seed:UInt64}, 'half') % 2) * 1800000 AS start0,
            -- today's later hours wrap to the same hours a year ago, keeping the window one year long
            if(start0 > {now:Int64}, start0 - 365 * 86400000, start0) AS start_ms,
            {durationMinMs:Int64} + toInt64(cityHash64(a, {seed:UInt64}, 'length') % {durationSpanMs:UInt64}) AS duration_ms,
            {venueStations:Array(UInt32)}[venue] AS station,
            greatest(1, intDiv(toInt64({registered:UInt32}) - 1 - station, {stations:UInt32}) + 1) AS at_station,
            least({participantsMin:UInt32} + cityHash64(a, {seed:UInt64}, 'size') % {participantsSpan:UInt32}, at_station) AS participants,
            cityHash64(a, {seed:UInt64}, 'first') % at_station AS first
        FROM numbers({activities:UInt32})
    )
    ARRAY JOIN range(participants) AS p
    ARRAY JOIN ['checkin', 'checkout'] AS type
) AS e
LEFT JOIN (SELECT id, name FROM volunteers FINAL) AS v ON v.id = e.volunteer_id
WHERE e.ts_ms <= {now:Int64}
