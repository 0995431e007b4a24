/**
 * What a copy of the data folder shows to someone without SQLite: every record in every table and index leaf
 * page of a database file, and of every frame of a write-ahead log if one is there, decoded from the bytes
 * by the file format alone (https://www.sqlite.org/fileformat2.html). Interior pages, overflow chains and
 * free pages are not decoded: the anonymity tests scan the raw bytes for what those could hold.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type RawValue = string | number | bigint | Buffer | null;
/** One record as it lies in the file: where (page, byte offset in the page; `frame` for a log) and its values. */
export type RawRecord = { file: string; frame: number | null; page: number; offset: number; values: RawValue[] };

const TABLE_LEAF = 13;
const INDEX_LEAF = 10;

function varint(bytes: Buffer, at: number): [value: bigint, length: number] {
  let value = 0n;
  for (let i = 0; i < 8; i++) {
    const byte = bytes[at + i]!;
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (byte < 0x80) return [value, i + 1];
  }
  return [(value << 8n) | BigInt(bytes[at + 8]!), 9];
}

function decodeRecord(payload: Buffer): RawValue[] {
  const [headerSize, first] = varint(payload, 0);
  const types: number[] = [];
  for (let at = first; at < Number(headerSize);) {
    const [type, length] = varint(payload, at);
    types.push(Number(type));
    at += length;
  }
  const values: RawValue[] = [];
  let at = Number(headerSize);
  for (const type of types) {
    if (type === 0) values.push(null);
    else if (type >= 1 && type <= 6) {
      const size = [0, 1, 2, 3, 4, 6, 8][type]!;
      let value = 0n;
      for (let i = 0; i < size; i++) value = (value << 8n) | BigInt(payload[at + i]!);
      if (size > 0 && payload[at]! & 0x80) value -= 1n << BigInt(size * 8); // two's complement
      values.push(size <= 6 ? Number(value) : value);
      at += size;
    } else if (type === 7) {
      values.push(payload.readDoubleBE(at));
      at += 8;
    } else if (type === 8 || type === 9) values.push(type - 8);
    else if (type >= 12) {
      const size = Math.floor((type - 12) / 2);
      const bytes = payload.subarray(at, at + size);
      values.push(type % 2 === 1 ? bytes.toString('utf8') : Buffer.from(bytes));
      at += size;
    } else throw new Error(`reserved serial type ${type}`);
    if (at > payload.length) throw new Error('record runs past its payload');
  }
  return values;
}

/** The records of one leaf page; pages of other kinds, or bytes that are not a page, give none. */
function leafRecords(page: Buffer, headerAt: number): { offset: number; values: RawValue[] }[] {
  const kind = page[headerAt];
  if (kind !== TABLE_LEAF && kind !== INDEX_LEAF) return [];
  const usable = page.length;
  const cells = page.readUInt16BE(headerAt + 3);
  const records: { offset: number; values: RawValue[] }[] = [];
  for (let i = 0; i < cells; i++) {
    const pointerAt = headerAt + 8 + 2 * i;
    if (pointerAt + 2 > usable) break;
    const offset = page.readUInt16BE(pointerAt);
    try {
      let at = offset;
      const [size, sizeLength] = varint(page, at);
      at += sizeLength;
      if (kind === TABLE_LEAF) at += varint(page, at)[1]; // the rowid
      const maxLocal = kind === TABLE_LEAF ? usable - 35 : Math.floor(((usable - 12) * 64) / 255) - 23;
      if (Number(size) > maxLocal) continue; // spills into overflow pages: not decoded here
      records.push({ offset, values: decodeRecord(page.subarray(at, at + Number(size))) });
    } catch {
      // not a well-formed cell (a page that only looks like a leaf): nothing to read
    }
  }
  return records;
}

/** Every record in a database file's leaf pages. */
export function databaseRecords(file: string): RawRecord[] {
  const bytes = readFileSync(file);
  if (bytes.length < 100) return [];
  const rawSize = bytes.readUInt16BE(16);
  const pageSize = rawSize === 1 ? 65536 : rawSize;
  const records: RawRecord[] = [];
  for (let page = 1; page * pageSize <= bytes.length; page++) {
    const content = bytes.subarray((page - 1) * pageSize, page * pageSize);
    for (const r of leafRecords(content, page === 1 ? 100 : 0)) records.push({ file, frame: null, page, ...r });
  }
  return records;
}

/** Every record in every frame of a write-ahead log: each committed version of each page, oldest first. */
export function walRecords(file: string): RawRecord[] {
  if (!existsSync(file)) return [];
  const bytes = readFileSync(file);
  if (bytes.length < 32) return [];
  const pageSize = bytes.readUInt32BE(8);
  const records: RawRecord[] = [];
  for (let frame = 0, at = 32; at + 24 + pageSize <= bytes.length; frame++, at += 24 + pageSize) {
    const page = bytes.readUInt32BE(at);
    const content = bytes.subarray(at + 24, at + 24 + pageSize);
    for (const r of leafRecords(content, page === 1 ? 100 : 0)) records.push({ file, frame, page, ...r });
  }
  return records;
}

/** What a copy of the data folder holds: its files' names and bytes, and every record the SQLite files show. */
export type FolderCopy = { files: Map<string, Buffer>; records: RawRecord[] };

export function copyFolder(dataDir: string): FolderCopy {
  const files = new Map(readdirSync(dataDir).map((name) => [name, readFileSync(join(dataDir, name))] as const));
  const records: RawRecord[] = [];
  for (const name of files.keys()) {
    if (name.endsWith('.sqlite')) records.push(...databaseRecords(join(dataDir, name)));
    if (name.endsWith('-wal')) records.push(...walRecords(join(dataDir, name)));
  }
  return { files, records };
}

/** Whether any byte of any file of the copy holds `needle`. */
export const copyHolds = (copy: FolderCopy, needle: string | Buffer): boolean => [...copy.files.values()].some((bytes) => bytes.includes(needle));

/** A stable text form of a record's values, to compare records between copies. */
export const recordKey = (values: RawValue[]): string =>
  JSON.stringify(values.map((v) => (Buffer.isBuffer(v) ? `bytes:${v.toString('hex')}` : typeof v === 'bigint' ? `${v}n` : v)));
