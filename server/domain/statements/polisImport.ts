/**
 * A Pol.is conversation from its open-data export (`comments.csv` and `participants-votes.csv`), read into
 * statements and votes for the analysis. Columns are found by their header, since exports differ (some have
 * `xid`, some do not). Comments moderated out (`moderated` = -1) are left out; votes are 1 agree, -1 disagree,
 * 0 pass, empty not seen. Nothing here is kept: the import keeps only the analysis (server/http/polisRoutes.ts).
 */
import { OTHER_GROUP_ID, type Statement, type StatementVote } from '../../../shared/protocol/index.js';
import type { VoterVotes } from './analysis.js';

/** Rows of an RFC 4180 CSV text (quoted fields may hold commas, quotes doubled and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else field += c;
  }
  if (field !== '' || row.length) endRow();
  return rows.filter((r) => r.some((f) => f !== ''));
}

/** The rows of a CSV as records keyed by header; the headers are checked for the `required` ones. */
function records(text: string, required: readonly string[], file: string): { headers: string[]; rows: Record<string, string>[] } {
  const [headers = [], ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  const names = headers.map((h) => h.trim());
  const missing = required.filter((r) => !names.includes(r));
  if (missing.length) throw new PolisImportError(`${file} has no column ${missing.map((m) => `"${m}"`).join(', ')}`);
  return { headers: names, rows: rows.map((row) => Object.fromEntries(names.map((name, i) => [name, row[i]?.trim() ?? '']))) };
}

export class PolisImportError extends Error {}

const VOTES: Record<string, StatementVote> = { '1': 'agree', '-1': 'disagree', '0': 'pass' };
/** Statements and opinion groups of an import get ids of their own, never mistaken for the workshop's. */
export const polisStatementId = (commentId: string) => `polis-${commentId}`;
/** An id per group value, in the order they come: two values never share one ("A" and "a", "1.0" and "1-0"). */
class GroupIds {
  readonly #ids = new Map<string, string>();
  readonly #taken = new Set<string>();
  constructor(private readonly named: (id: string, value: string) => void) {}

  of(value: string): string {
    let id = this.#ids.get(value);
    if (id) return id;
    const base = `polis-${value.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`.slice(0, 56);
    id = base;
    // "other" is the analysis's own bucket: a group of that name gets an id of its own too.
    for (let n = 2; this.#taken.has(id) || id === `polis-${OTHER_GROUP_ID}`; n++) id = `${base}-${n}`;
    this.#ids.set(value, id);
    this.#taken.add(id);
    this.named(id, value);
    return id;
  }
}

export type PolisConversation = {
  statements: Statement[];
  voters: VoterVotes[];
  /** Bucket ids the import made from `groupColumn`, with the names they are shown by. */
  groupLabels: Map<string, string>;
};

/**
 * @param groupColumn a column of participants-votes.csv whose value is each participant's group (`group-id`:
 *   Pol.is's opinion groups); an empty value is no group.
 * @param textMax longer comments are refused, not cut: a cut statement would no longer be what people voted on
 */
export function readPolisExport(input: { comments: string; participantsVotes: string; groupColumn?: string }, textMax: number): PolisConversation {
  const comments = records(input.comments, ['comment-id', 'moderated', 'comment-body'], 'comments.csv');
  const statements: Statement[] = [];
  for (const row of comments.rows) {
    if (Number(row['moderated']) === -1) continue;
    const text = row['comment-body']!.replace(/[\u0000-\u001F\u007F]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (!text || !/^[0-9]+$/.test(row['comment-id']!)) continue;
    if (text.length > textMax) throw new PolisImportError(`comment ${row['comment-id']} is longer than ${textMax} characters`);
    const id = polisStatementId(row['comment-id']!);
    if (statements.some((st) => st.id === id)) throw new PolisImportError(`comments.csv has comment ${row['comment-id']} twice`);
    statements.push({ id, text });
  }
  statements.sort((a, b) => Number(a.id.slice(6)) - Number(b.id.slice(6)));
  const votes = records(input.participantsVotes, input.groupColumn ? [input.groupColumn] : [], 'participants-votes.csv');
  const columns = statements.map((s) => ({ id: s.id, column: s.id.slice('polis-'.length) })).filter((c) => votes.headers.includes(c.column));
  const groupLabels = new Map<string, string>();
  const groupIds = new GroupIds((id, value) => groupLabels.set(id, `${input.groupColumn} ${value}`));
  const voters: VoterVotes[] = [];
  for (const row of votes.rows) {
    const cast: Record<string, StatementVote> = {};
    for (const { id, column } of columns) {
      const vote = VOTES[row[column]!];
      if (vote) cast[id] = vote;
    }
    if (!Object.keys(cast).length) continue;
    const value = input.groupColumn ? row[input.groupColumn]! : '';
    voters.push({ group: value ? groupIds.of(value) : null, votes: cast });
  }
  return { statements, voters, groupLabels };
}
