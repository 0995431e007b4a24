import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ok, connect, createWorkshop, disconnectAll, facilitatorAuth, participantAuth, send } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/startTestServer.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';

const running: TestServer[] = [];
afterEach(async () => {
  closeDocs();
  disconnectAll();
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/** The npm scripts, as an operator runs them. */
const cli = (command: 'backup' | 'restore', file: string, dataDir: string) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'server/adminCli.ts', command, file], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });

const noteTexts = (doc: Y.Doc) => [...doc.getMap<Y.Map<unknown>>('notes').values()].map((n) => n.get('text'));

describe('backup and restore', () => {
  it('copies the store while the server runs, and a restored copy serves the same workshop', async () => {
    const live = await startTestServer();
    running.push(live);
    const created = await createWorkshop(live.url, { title: 'Backed up', groups: [] });
    const { socket: facilitator } = await connect(live.url, facilitatorAuth(created));
    const board = await ok(send(facilitator, 'agenda:add', { activity: { kind: 'board', title: 'Ideas' } }));
    await send(facilitator, 'agenda:goTo', { id: board.id });
    const { socket: phone } = await connect(live.url, participantAuth(created));
    await send(phone, 'board:addNote', { boardId: board.id, text: 'Street lights on Elm Road' });

    const backup = join(mkdtempSync(join(tmpdir(), 'roundtable-backup-')), 'copy.sqlite');
    expect(cli('backup', backup, live.dataDir)).toMatch(/Backed up .* pages/);
    // The copy is the store as it was at that moment: what comes later is not in it.
    await send(phone, 'board:addNote', { boardId: board.id, text: 'After the backup' });
    expect(() => cli('backup', backup, live.dataDir)).toThrow(/exists already/);

    const restoredDir = mkdtempSync(join(tmpdir(), 'roundtable-restored-'));
    expect(cli('restore', backup, restoredDir)).toMatch(/Restored/);
    const restored = await startTestServer({ dataDir: restoredDir });
    running.push(restored);
    const { socket: again, snapshot } = await connect(restored.url, facilitatorAuth(created));
    expect(snapshot.workshop.title).toBe('Backed up');
    expect(snapshot.current.activity?.title).toBe('Ideas');
    const doc = await openDoc(restored.url, again, `board-${board.id}`);
    expect(noteTexts(doc.doc)).toEqual(['Street lights on Elm Road']);
  });

  it('keeps the database it replaces, and refuses a file that is not a Roundtable database', async () => {
    const first = await startTestServer();
    await createWorkshop(first.url, { title: 'First', groups: [] });
    await first.close();
    const backup = join(mkdtempSync(join(tmpdir(), 'roundtable-backup-')), 'copy.sqlite');
    cli('backup', backup, first.dataDir);

    const output = cli('restore', backup, first.dataDir);
    expect(output).toMatch(/previous database is kept as/);
    expect(readdirSync(first.dataDir).some((f) => f.startsWith('roundtable.sqlite.before-restore-'))).toBe(true);

    const notADatabase = join(first.dataDir, 'notes.txt');
    execFileSync('sh', ['-c', `echo hello > ${notADatabase}`]);
    expect(() => cli('restore', notADatabase, mkdtempSync(join(tmpdir(), 'roundtable-restored-')))).toThrow();
    expect(existsSync(join(first.dataDir, 'roundtable.sqlite'))).toBe(true);
  });
});
