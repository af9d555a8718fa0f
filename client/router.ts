/**
 * Pages by path. History mode: the server answers every non-API GET with index.html, so a wall's
 * bookmarked URL (with its kiosk parameters) opens the right page after a reload.
 */
import { createRouter, createWebHistory } from 'vue-router';
import { fieldRoutes } from './field/routes';

/** Created at boot, after the token left the address bar: the history captures the URL it starts from. */
export const createAppRouter = () =>
  createRouter({
    history: createWebHistory(),
    routes: [
      // The wall: its own chunk with ECharts and Leaflet, so a phone's first load carries neither.
      { path: '/', name: 'wall', component: () => import('./pages/WallPage.vue') },
      // The dispatch console: its own chunk, so wall screens never load it.
      { path: '/dispatch', name: 'dispatch', component: () => import('./pages/DispatchPage.vue') },
      // The admin console: its own chunk too (it carries TypeBox for its forms).
      { path: '/admin', name: 'admin', component: () => import('./pages/AdminPage.vue') },
      // The evaluation reports: the console's 报告 section, the one a leader is shown there.
      { path: '/reports', name: 'reports', redirect: { path: '/admin', query: { section: 'reports' } } },
      // The meeting tablet (联席会议): its own chunk, with no charts or map in it.
      { path: '/meeting', name: 'meeting', component: () => import('./pages/MeetingPage.vue') },
      // The volunteers' phone app (掌上终端): its pages are lazily loaded chunks too.
      ...fieldRoutes,
      // The citizens' pages (phones, no account): a node's page from its 文明实践码, and the tracking link.
      { path: '/c/:segment', name: 'public-node', component: () => import('./pages/public/NodePage.vue') },
      { path: '/t', name: 'track', component: () => import('./pages/public/TrackPage.vue') },
    ],
  });
