/**
 * The volunteers' phone app under `/m`: login and registration stand alone; everything else sits
 * in the shell (FieldShell.vue: header, tab bar, the login check). Every page is its own lazily
 * loaded chunk, so a phone downloads none of the wall's map and charts.
 */
import type { RouteRecordRaw } from 'vue-router';
import { activityRoutes } from './activities/routes';

export const fieldRoutes: RouteRecordRaw[] = [
  { path: '/m/login', name: 'field-login', component: () => import('./FieldLogin.vue') },
  { path: '/m/register', name: 'field-register', component: () => import('./FieldRegister.vue') },
  {
    path: '/m',
    component: () => import('./FieldShell.vue'),
    children: [
      { path: '', name: 'field-tasks', component: () => import('./TasksPage.vue') },
      { path: 'task/:orderId', name: 'field-task', component: () => import('./TaskDetail.vue') },
      { path: 'me', name: 'field-me', component: () => import('./MePage.vue') },
      ...activityRoutes,
    ],
  },
];
