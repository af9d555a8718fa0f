-- The convergence-media side: articles (about half report a practice activity and follow it within a
-- day) and their read counters, reported in bursts over the following four days, mostly in the
-- evening. Total reads per article are log-normal, exp(readsMu + 1.2·z), so a year sums to ~600 million reads.
INSERT INTO events (id, type, ts, node_id, institute_id, subject_id, tag, actor, title, value, version)
WITH
    (SELECT groupArray((subject_id, node_id, institute_id, first_ms)) FROM
        (SELECT subject_id, any(node_id) AS node_id, any(institute_id) AS institute_id,
                toInt64(toUnixTimestamp64Milli(min(ts))) AS first_ms
         FROM events WHERE type = 'checkin' AND match(subject_id, '^ACT-[0-9]+$')
         GROUP BY subject_id ORDER BY subject_id)) AS activities
SELECT generateUUIDv4(), if(j = 0, 'media.published', 'media.read'), fromUnixTimestamp64Milli(ts_ms, {tz:String}),
       node_id, institute_id, article_id, if(j = 0, activity_id, ''), if(j = 0, brand_id, ''), if(j = 0, title, ''),
       if(j = 0, 0, reads), if(j = 0, 0, toUInt32(reads * (5 + cityHash64(n, j, {seed:UInt64}, 'share') % 20) / 1000))
FROM
(
    -- report j (1..12) falls on day intDiv(j - 1, 3) after publishing, at an hour drawn from the read rhythm
    SELECT
        *,
        j,
        intDiv(j - 1, 3) AS read_day,
        published_day + read_day * 86400000
            + (arrayFirstIndex(c -> c > (cityHash64(n, j, {seed:UInt64}, 'hour') % 1000000) / 1e6, {readCdf:Array(Float64)}) - 1) * 3600000
            + toInt64(cityHash64(n, j, {seed:UInt64}, 'minute') % 3600000) AS raw_ms,
        multiIf(j = 0, published_ms, raw_ms <= published_ms, raw_ms + 86400000, raw_ms) AS ts_ms,
        -- the four days' shares decay by 0.55 a day: 3 · (1 + 0.55 + 0.55² + 0.55³) = 6.056625
        toUInt32(total_reads * pow(0.55, read_day) / 6.056625 * (0.6 + (cityHash64(n, j, {seed:UInt64}, 'jitter') % 1000) / 1250)) AS reads
    FROM
    (
        SELECT
            number AS n,
            concat('ART-', leftPad(toString(n + 1), 6, '0')) AS article_id,
            length(activities) > 0 AND cityHash64(n, {seed:UInt64}, 'link') % 2 = 0 AS linked,
            activities[1 + cityHash64(n, {seed:UInt64}, 'activity') % greatest(1, length(activities))] AS activity,
            1 + cityHash64(n, {seed:UInt64}, 'institute') % length({instituteIds:Array(String)}) AS inst,
            cityHash64(n, {seed:UInt64}, 'desk') % 10 < 6 AS county_desk,
            if(linked, activity.2, if(county_desk, {centerId:String}, {instituteIds:Array(String)}[inst])) AS node_id,
            if(linked, activity.3, if(county_desk, '', {instituteIds:Array(String)}[inst])) AS institute_id,
            if(linked, activity.1, '') AS activity_id,
            -- an activity belongs to one brand (品牌活动), so every article reporting it carries that brand:
            -- a flagship's (flagshipShare) or one of its town's, as seed/brands.ts pickBrand draws it
            linked OR cityHash64(n, {seed:UInt64}, 'brand') % 10 < 4 AS branded,
            if(linked, cityHash64(activity_id, {seed:UInt64}, 'brand'), cityHash64(n, {seed:UInt64}, 'which')) AS bh,
            if(linked, institute_id, if(county_desk, '', {instituteIds:Array(String)}[inst])) AS brand_town,
            arrayFilter(i -> {brandInstitutes:Array(String)}[i] = '', range(1, length({brandIds:Array(String)}) + 1)) AS flagships,
            arrayFilter(i -> brand_town != '' AND {brandInstitutes:Array(String)}[i] = brand_town,
                        range(1, length({brandIds:Array(String)}) + 1)) AS town_brands,
            if(((bh % 1000) / 1000 < {flagshipShare:Float64} AND notEmpty(flagships)) OR empty(town_brands),
               flagships[1 + intDiv(bh, 1000) % greatest(1, length(flagships))],
               town_brands[1 + intDiv(bh, 1000) % length(town_brands)]) AS b,
            if(branded, {brandIds:Array(String)}[b], '') AS brand_id,
            {topics:Array(String)}[1 + cityHash64(n, {seed:UInt64}, 'topic') % length({topics:Array(String)})] AS topic,
            concat(if(branded, concat('【', {brandNames:Array(String)}[b], '】'), ''),
                   multiIf(linked, {instituteTowns:Array(String)}[indexOf({instituteIds:Array(String)}, institute_id)],
                           county_desk, {countyName:String}, {instituteTowns:Array(String)}[inst]),
                   topic, if(linked, '活动温暖开展', '')) AS title,
            arrayFirstIndex(c -> c > (cityHash64(n, {seed:UInt64}, 'day') % 1000000) / 1e6, {publishDayCdf:Array(Float64)}) - 1 AS day,
            arrayFirstIndex(c -> c > (cityHash64(n, {seed:UInt64}, 'hour') % 1000000) / 1e6, {publishCdf:Array(Float64)}) - 1 AS hour,
            {day0:Int64} - day * 86400000 + hour * 3600000 + toInt64(cityHash64(n, {seed:UInt64}, 'minute') % 3600000) AS at0,
            multiIf(linked, least(activity.4 + 7200000 + toInt64(cityHash64(n, {seed:UInt64}, 'lag') % 86400000), {now:Int64}),
                    at0 > {now:Int64}, at0 - 365 * 86400000, at0) AS published_ms,
            -- z: four uniforms summed to mean 0, variance 1 (readsMu makes up for its lighter tails)
            (cityHash64(n, {seed:UInt64}, 'z1') % 1000 + cityHash64(n, {seed:UInt64}, 'z2') % 1000
             + cityHash64(n, {seed:UInt64}, 'z3') % 1000 + cityHash64(n, {seed:UInt64}, 'z4') % 1000 - 1998) / 1000 * sqrt(3) AS z,
            exp({readsMu:Float64} + 1.2 * z) AS total_reads,
            intDiv(published_ms + {utcOffsetMs:Int64}, 86400000) * 86400000 - {utcOffsetMs:Int64} AS published_day
        FROM numbers({articles:UInt32})
    )
    ARRAY JOIN range(13) AS j
)
WHERE ts_ms <= {now:Int64}
