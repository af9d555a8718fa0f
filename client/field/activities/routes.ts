/**
 * The 活动 and 签到 tabs' views (活动报名, check-in and out by a node's code): children of the phone
 * shell `/m` (client/field/routes.ts), so they get its login check, header and tab bar. The tab
 * bar opens them by these route names (client/field/tabs.ts).
 */
import type { RouteRecordRaw } from 'vue-router';

export const activityRoutes: RouteRecordRaw[] = [
  { path: 'activities', name: 'field-activities', component: () => import('./ActivitiesPage.vue') },
  // The 签到 tab opens the camera; a scanned node's code opens `/m/checkin/<adcode>-<node id>` (shared/node-link.ts).
  { path: 'checkin', name: 'field-checkin', component: () => import('./ScanPage.vue') },
  { path: 'checkin/:segment', name: 'field-checkin-node', component: () => import('./CheckinPage.vue') },
];
