/** English — switchable with ?lang=en (visiting delegations, documentation screenshots). */
import type { Messages } from './zh-CN';

const en: Messages = {
  title: '{county} Civilization Practice Command Center',
  titleFallback: 'Civilization Practice Command Center',
  subtitle: 'Convergence Media Center · New-Era Civilization Practice Center',
  counties: { shuangliu: 'Shuangliu District', baokang: 'Baokang County' },
  status: {
    connected: 'Live',
    connecting: 'Connecting…',
    disconnected: 'Disconnected',
    reconnecting: 'Connection lost, reconnecting…',
    updatedAt: 'Updated {time}',
    waiting: 'Waiting for data…',
    stale: 'Data delayed',
  },
  levels: { center: 'Center', institute: 'Institutes', station: 'Stations', point: 'Points' },
  levelsLong: {
    center: 'District center',
    institute: 'Town institutes',
    station: 'Village stations',
    point: 'Practice points',
  },
  panels: {
    volunteers: 'Volunteer service',
    volunteersHint: 'Today, live',
    trend: 'Check-in trend',
    trendHint: 'Last 60 min · per minute',
    appeals: 'Online appeals',
    appealsHint: 'Received and closed',
    media: 'Convergence media',
    feed: 'Live feed',
    feedHint: 'Practice-code scans',
    map: 'Practice network map',
    network: 'Network',
    networkHint: 'Stations and points per institute',
  },
  kpi: {
    registeredVolunteers: 'Registered volunteers',
    volunteersActive: 'Volunteers on duty',
    activitiesToday: 'Activities today',
    checkinsToday: 'Check-ins today',
    appealsReceived: 'Appeals received',
    appealsClosed: 'Appeals closed',
    appealClosureRate: 'Closure rate',
    mediaReadsToday: 'Reads today',
  },
  units: { people: '', activities: '', checkins: '', appeals: '', percent: '%', reads: '' },
  feed: {
    types: {
      checkin: 'Check-in',
      checkout: 'Check-out',
      volunteerStatus: 'Volunteer',
      appealReceived: 'Appeal',
      appealAssigned: 'Assigned',
      appealReplied: 'Replied',
      appealClosed: 'Closed',
      order: 'Order',
      mediaPublished: 'Article',
      mediaRead: 'Reads',
      other: 'Event',
    },
    empty: 'Waiting for live events…',
  },
  map: {
    loading: 'Loading the practice network…',
    retrying: 'Could not load the network, retrying…',
    legend: 'Legend',
  },
  chart: { checkins: 'Check-ins', stations: 'Stations', points: 'Points' },
};

export default en;
