/**
 * The meeting tablet's socket: the `/meeting` namespace, typed by the shared contract. It carries
 * the person's session cookie and the tablet's own id (kept for the tab's life in session storage),
 * so a reload or a dropped Wi-Fi within the grace resumes the hold instead of losing it.
 */
import { io, type Socket } from 'socket.io-client';
import type { MEETING_NAMESPACE, MeetingClientToServer, MeetingServerToClient } from '../shared/meeting-schemas';
import { randomUuid } from './uuid';

export type MeetingSocket = Socket<MeetingServerToClient, MeetingClientToServer>;

// Checked against the shared constant's type: a renamed namespace fails the type check.
const NAMESPACE: typeof MEETING_NAMESPACE = '/meeting';
const TABLET_KEY = 'wmsj.meeting.tablet';

/** This tab's tablet id: the server's controller id is `<username>/<it>`. */
export function tabletId(): string {
  let id = sessionStorage.getItem(TABLET_KEY);
  if (!id) {
    id = randomUuid();
    sessionStorage.setItem(TABLET_KEY, id);
  }
  return id;
}

export function createMeetingSocket(): MeetingSocket {
  return io(NAMESPACE, {
    autoConnect: false,
    withCredentials: true,
    auth: { tablet: tabletId() },
    // Back quickly after a blip: the walls wait out the grace, the meeting does not.
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
  });
}
