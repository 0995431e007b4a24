import { test } from '@playwright/test';
import { io } from 'socket.io-client';

/** A phone-sized browser context. */
export const phone = { viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true };

/** A facilitator driving the workshop over the real protocol, for seeding and for tests about other screens. */
export async function facilitatorSocket(created: { id: string; facilitatorKey: string }) {
  const socket = io(test.info().project.use.baseURL!, {
    auth: { role: 'facilitator', workshopId: created.id, key: created.facilitatorKey },
    transports: ['websocket'],
  });
  await new Promise((resolve, reject) => socket.once('session:snapshot', resolve).once('connect_error', reject));
  return socket;
}
