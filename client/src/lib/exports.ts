/**
 * Downloads of the plan. The facilitator key goes in an Authorization header (never in a URL), so a plain link
 * cannot do it: fetch, then hand the file to the browser.
 */
export const EXPORT_FORMATS = ['docx', 'pdf', 'md', 'csv', 'json', 'ics'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

export async function fetchChecklist(workshopId: string, key: string): Promise<{ where: string; found: string; suggestion: string }[]> {
  const response = await fetch(`/api/workshops/${workshopId}/export/checklist`, { headers: auth(key) });
  if (!response.ok) throw new Error(response.statusText);
  return (await response.json()).flags;
}

/** `report`: the language the report is written in, and the place its cover names (sent only when given). */
export async function downloadExport(workshopId: string, key: string, format: ExportFormat, report: { language: string; place: string }): Promise<void> {
  const query = new URLSearchParams({ language: report.language, ...(report.place.trim() ? { place: report.place.trim() } : {}) });
  await download(`/api/workshops/${workshopId}/export.${format}?${query}`, key, `action-plan.${format}`);
}

/** The calendar of an owner's due dates, with their update key. */
export const downloadOwnerCalendar = (workshopId: string, ownerKey: string) => download(`/api/followup/${workshopId}/calendar.ics`, ownerKey, 'due-dates.ics');

async function download(path: string, key: string, fallbackName: string): Promise<void> {
  const response = await fetch(path, { headers: auth(key) });
  if (!response.ok) throw new Error(response.statusText);
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
