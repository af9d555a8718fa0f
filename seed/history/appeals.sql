-- Online appeals (网上群众路线): received near a node, then assigned, replied and closed by a unit.
-- Exactly {appealsOpen} stall unclosed — picked by a permutation of the appeal number, so the all-time
-- closure rate is the article's (19,597 of 20,038) once the recent ones close. Steps after now are left
-- out: the appeals in progress at now are the live simulator's to carry on (seed/flows/appeals.ts).
INSERT INTO events (id, type, ts, node_id, institute_id, subject_id, tag, actor, person_name, person_phone, title, lat, lon)
SELECT generateUUIDv4(), type, fromUnixTimestamp64Milli(ts_ms, {tz:String}), node_id, institute_id, appeal_id,
       if(received, category, ''), if(received, '', unit), if(received, citizen_name, ''),
       if(received, citizen_phone, ''), if(received, title, ''), if(received, lat, 0), if(received, lon, 0)
FROM
(
    SELECT
        number AS n,
        1 + cityHash64(n, {seed:UInt64}, 'venue') % length({venueIds:Array(String)}) AS venue,
        {venueIds:Array(String)}[venue] AS node_id,
        {venueInstitutes:Array(String)}[venue] AS institute_id,
        concat('AP-', leftPad(toString(n + 1), 6, '0')) AS appeal_id,
        arrayFirstIndex(c -> c > (cityHash64(n, {seed:UInt64}, 'day') % 1000000) / 1e6, {appealDayCdf:Array(Float64)}) - 1 AS day,
        arrayFirstIndex(c -> c > (cityHash64(n, {seed:UInt64}, 'hour') % 1000000) / 1e6, {appealCdf:Array(Float64)}) - 1 AS hour,
        {day0:Int64} - day * 86400000 + hour * 3600000 + toInt64(cityHash64(n, {seed:UInt64}, 'minute') % 3600000) AS at0,
        if(at0 > {now:Int64}, at0 - 365 * 86400000, at0) AS received_ms,
        (n * 1000003 + {seed:UInt64}) % {appeals:UInt32} < {appealsOpen:UInt32} AS open,
        {stepMinMs:Array(Int64)}[1] + toInt64(cityHash64(n, {seed:UInt64}, 'assign') % {stepSpanMs:Array(UInt64)}[1]) AS d1,
        {stepMinMs:Array(Int64)}[2] + toInt64(cityHash64(n, {seed:UInt64}, 'reply') % {stepSpanMs:Array(UInt64)}[2]) AS d2,
        {stepMinMs:Array(Int64)}[3] + toInt64(cityHash64(n, {seed:UInt64}, 'close') % {stepSpanMs:Array(UInt64)}[3]) AS d3,
        cityHash64(n, {seed:UInt64}, 'category') % 10 AS c,
        multiIf(c < 5, 'consult', c < 8, 'complaint', 'suggestion') AS category,
        cityHash64(n, {seed:UInt64}, 'title') AS t,
        multiIf(c < 5, {consultTitles:Array(String)}[1 + t % length({consultTitles:Array(String)})],
                c < 8, {complaintTitles:Array(String)}[1 + t % length({complaintTitles:Array(String)})],
                {suggestionTitles:Array(String)}[1 + t % length({suggestionTitles:Array(String)})]) AS title,
        -- a pool smaller than the appeals: some residents write more than once
        1 + cityHash64(n, {seed:UInt64}, 'citizen') % length({citizenNames:Array(String)}) AS ci,
        {citizenNames:Array(String)}[ci] AS citizen_name,
        {citizenPhones:Array(String)}[ci] AS citizen_phone,
        if(cityHash64(n, {seed:UInt64}, 'unit') % 10 < 4, {venueTownOffices:Array(String)}[venue],
           {units:Array(String)}[1 + cityHash64(n, {seed:UInt64}, 'unit') % length({units:Array(String)})]) AS unit,
        -- within a few hundred metres of the node
        round({venueLats:Array(Float64)}[venue] + ((cityHash64(n, {seed:UInt64}, 'lat') % 1000) / 1000 - 0.5) * 0.006, 6) AS lat,
        round({venueLons:Array(Float64)}[venue] + ((cityHash64(n, {seed:UInt64}, 'lon') % 1000) / 1000 - 0.5) * 0.007, 6) AS lon
    FROM numbers({appeals:UInt32})
)
ARRAY JOIN
    ['appeal.received', 'appeal.assigned', 'appeal.replied', 'appeal.closed'] AS type,
    [received_ms, received_ms + d1, received_ms + d1 + d2, received_ms + d1 + d2 + d3] AS ts_ms,
    [1, 0, 0, 0] AS received
WHERE ts_ms <= {now:Int64} AND NOT (open AND type = 'appeal.closed')
