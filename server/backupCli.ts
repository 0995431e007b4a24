/**
 * `npm run backup -- <file>`: an online copy of the store while the server runs.
 * `npm run restore -- <file>`: installs a copy (stop the server first). Both use DATA_DIR like the server.
 */
import { resolve } from 'node:path';
import { readConfig } from './config.js';
import { backupDatabase, restoreDatabase } from './store/sqlite/backup.js';

const [command, file] = process.argv.slice(2);
const { DATA_DIR } = readConfig();
try {
  if (command === 'backup' && file) {
    const { pages } = await backupDatabase(DATA_DIR, resolve(file));
    console.log(`Backed up ${resolve(DATA_DIR)} to ${resolve(file)} (${pages} pages). It holds workshop data: keep it as safe as the server.`);
  } else if (command === 'restore' && file) {
    const { keptAs } = restoreDatabase(resolve(file), DATA_DIR);
    console.log(`Restored ${resolve(file)} into ${resolve(DATA_DIR)}.${keptAs ? ` The previous database is kept as ${keptAs}.` : ''}`);
  } else {
    console.error('usage: npm run backup -- <new file>   |   npm run restore -- <backup file>   (DATA_DIR selects the data folder)');
    process.exitCode = 2;
  }
} catch (error) {
  console.error(`${command} failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
