/**
 * bufferutil is optional (it has no prebuilt binary for some platforms, linux-arm64 images among them): a server
 * whose WebSocket library does without it serves Socket.IO and Yjs all the same. WS_NO_BUFFER_UTIL makes `ws` take
 * the path it takes when the module is not installed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readNotes } from '../../shared/boardDoc.js';
import { boardDocName } from '../../shared/protocol/index.js';
import { disconnectAll, ok, send } from '../helpers/clients.js';
import { useServerProcesses } from '../helpers/serverProcess.js';
import { session } from '../helpers/session.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';

const servers = useServerProcesses();
afterEach(() => {
  closeDocs();
  disconnectAll();
});

describe('without bufferutil', () => {
  it('serves a session: phones post notes over Socket.IO and a board syncs over Yjs', async () => {
    const server = await servers.start({ env: { WS_NO_BUFFER_UTIL: '1' } });
    const { facilitator, phones, activityId } = await session(server.url, { activity: { kind: 'board', title: 'Ideas' }, phones: 2 });
    for (const [i, phone] of phones.entries()) await ok(send(phone, 'board:addNote', { boardId: activityId, text: `Note ${i}` }));
    const board = await openDoc(server.url, facilitator, boardDocName(activityId));
    await expect
      .poll(() =>
        readNotes(board.doc)
          .map((n) => n.text)
          .sort(),
      )
      .toEqual(['Note 0', 'Note 1']);
  });
});
