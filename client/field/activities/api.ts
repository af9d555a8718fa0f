/**
 * The phone's calls for 活动报名 and 签到 (server/routes/api/v1/field-activities.ts), with the
 * session cookie only (personCall).
 */
import type { MyActivities, MyActivity, ScanBody, ScanResult } from '../../../shared/activity-api';
import { personCall, type CallResult } from '../../http';

export const myActivities = (): Promise<CallResult<MyActivities>> =>
  personCall<MyActivities>('GET', '/api/v1/field/activities');

export const signUp = (id: string): Promise<CallResult<MyActivity>> =>
  personCall<MyActivity>('POST', `/api/v1/field/activities/${encodeURIComponent(id)}/signup`);

export const withdraw = (id: string): Promise<CallResult<MyActivity>> =>
  personCall<MyActivity>('POST', `/api/v1/field/activities/${encodeURIComponent(id)}/withdraw`);

export const sendScan = (body: ScanBody): Promise<CallResult<ScanResult>> =>
  personCall<ScanResult>('POST', '/api/v1/field/scans', body);
