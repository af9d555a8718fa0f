/** Builders of valid events for tests; override any field. */
import { randomUUID } from 'node:crypto';
import type { PracticeEvent } from '../../shared/events.js';

export function checkin(overrides: Partial<Extract<PracticeEvent, { type: 'checkin' }>> = {}): PracticeEvent {
  return {
    id: randomUUID(),
    type: 'checkin',
    nodeId: 'S001',
    ts: Date.now(),
    volunteerId: 'V000001',
    activityId: 'A1',
    volunteerName: '张小伟',
    ...overrides,
  };
}

export function checkout(overrides: Partial<Extract<PracticeEvent, { type: 'checkout' }>> = {}): PracticeEvent {
  return {
    id: randomUUID(),
    type: 'checkout',
    nodeId: 'S001',
    ts: Date.now(),
    volunteerId: 'V000001',
    activityId: 'A1',
    volunteerName: '张小伟',
    hours: 2,
    ...overrides,
  };
}

export function appealReceived(
  overrides: Partial<Extract<PracticeEvent, { type: 'appeal.received' }>> = {},
): PracticeEvent {
  return {
    id: randomUUID(),
    type: 'appeal.received',
    nodeId: 'S001',
    ts: Date.now(),
    appealId: 'AP1',
    category: 'consult',
    title: '小区路灯不亮',
    citizenName: '李四',
    citizenPhone: '13812345678',
    lat: 30.5,
    lon: 103.9,
    ...overrides,
  };
}
