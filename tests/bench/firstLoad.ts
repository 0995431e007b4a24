/**
 * A participant's first load, as the build measured it (client/vite/firstLoadReport.ts): the page, the entry
 * with what it imports, the participant view and the largest catalogue, Brotli-compressed as the server sends
 * them; then what each kind of activity adds. tests/e2e/weakNetwork.e2e.ts checks the bytes a real browser
 * receives. Needs `npm run build`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_CLIENT_DIR } from '../../server/createRoundtable.js';

type Report = { firstLoad: number; budget: number; activities: { view: string; bytes: number }[] };

export function firstLoad(clientDir = DEFAULT_CLIENT_DIR) {
  const path = `${clientDir}/first-load.json`;
  if (!existsSync(path)) return { built: false as const };
  const report = JSON.parse(readFileSync(path, 'utf8')) as Report;
  return { built: true as const, brotliBytes: report.firstLoad, budget: report.budget, activities: report.activities };
}
