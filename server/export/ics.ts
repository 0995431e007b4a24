/**
 * A calendar of due dates (RFC 5545), for the owners of commitments and the organisers: one all-day event per
 * commitment with a due date, named after it, with its owner and the public follow-up page. Any calendar reads it.
 */
import { createHash } from 'node:crypto';
import { clean } from './outline.js';

export type DueDate = { id: string; title: string; owner: string; due: string };

/** TEXT values: backslash, semicolon, comma and newline escaped (RFC 5545 §3.3.11). */
const text = (value: string) =>
  clean(value)
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n/g, '\\n');

/** A UID from an id anyone writing the plan chose: hashed, so it is one token whatever it holds. */
const uid = (id: string, host: string) => `${createHash('sha256').update(id).digest('hex').slice(0, 32)}@${host.replace(/[^A-Za-z0-9.:-]/g, '')}`;

/** Lines longer than 75 octets are folded: CRLF and a space, never inside a UTF-8 character (§3.1). */
function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  for (const char of line) {
    if (Buffer.byteLength(current + char) > (parts.length ? 74 : 75)) {
      parts.push(current);
      current = '';
    }
    current += char;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const compact = (day: string) => day.replaceAll('-', '');

export function renderIcs(calendar: { name: string; url: string; stampedOn: string; dueDates: DueDate[]; host: string }): string {
  const events = calendar.dueDates
    .filter((d) => d.due)
    .flatMap((d) => {
      const next = new Date(`${d.due}T00:00:00Z`);
      next.setUTCDate(next.getUTCDate() + 1);
      return [
        'BEGIN:VEVENT',
        `UID:${uid(d.id, calendar.host)}`,
        `DTSTAMP:${compact(calendar.stampedOn)}T000000Z`,
        `DTSTART;VALUE=DATE:${compact(d.due)}`,
        `DTEND;VALUE=DATE:${compact(next.toISOString().slice(0, 10))}`,
        `SUMMARY:${text(d.title)}`,
        `DESCRIPTION:${text([d.owner, calendar.url].filter(Boolean).join('\n'))}`,
        ...(calendar.url ? [`URL:${calendar.url.replace(/[\r\n]/g, '')}`] : []),
        'TRANSP:TRANSPARENT',
        'END:VEVENT',
      ];
    });
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Roundtable//Follow-up//EN',
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:${text(calendar.name)}`,
    ...events,
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}
