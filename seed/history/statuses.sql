-- Volunteer statuses follow their orders: assigned on the claim, en route shortly before the
-- service, serving during it, available again once it is completed.
INSERT INTO events (id, type, ts, node_id, institute_id, volunteer_id, tag)
SELECT generateUUIDv4(), 'volunteer.status', ts + toIntervalMillisecond(shift), node_id, institute_id, volunteer_id, status
FROM events
ARRAY JOIN
    multiIf(tag = 'claimed', ['assigned'], tag = 'in_service', ['en_route', 'serving'], ['available']) AS status,
    multiIf(tag = 'claimed', [1000], tag = 'in_service', [-1200000, 1000], [1000]) AS shift
WHERE type = 'order.transition' AND tag IN ('claimed', 'in_service', 'completed')
  AND match(subject_id, '^ORD-[0-9]+$') AND ts + toIntervalMillisecond(shift) <= fromUnixTimestamp64Milli({now:Int64})
