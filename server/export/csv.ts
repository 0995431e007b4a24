import type { ExportModel } from './exportModel.js';
import { actionColumns, clean, labeller } from './outline.js';

const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
/**
 * Spreadsheets run cells starting like a formula: keep user text as text. Cleaned first, so a formula behind
 * a character that cleaning drops (a control character, a lone surrogate) is caught too.
 */
const safe = (value: string) => {
  const text = clean(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
};

/**
 * One row per action, for spreadsheets and monitoring tools. UTF-8 with a byte-order mark so Excel reads
 * accents and Arabic; CRLF line ends as RFC 4180 asks.
 */
export function renderCsv(model: ExportModel, language = model.workshop.language): string {
  const t = labeller(language);
  const columns = [
    ...actionColumns(language),
    { label: t('plan.field.description'), value: (a: ExportModel['plan']['actions'][number]) => a.description },
    { label: t('plan.field.risks'), value: (a: ExportModel['plan']['actions'][number]) => a.risks },
  ];
  // An ended workshop: each action's state today as a commitment (the same id), for monitoring sheets.
  const commitment = (a: ExportModel['plan']['actions'][number]) => model.followUp?.commitments.find((c) => c.id === a.id);
  if (model.followUp) {
    columns.push(
      { label: t('export.statusToday'), value: (a) => (commitment(a) ? t(`followUp.status.${commitment(a)!.status}`) : '') },
      { label: t('followUp.late'), value: (a) => (commitment(a)?.late ? t('export.yes') : '') },
      {
        label: t('followUp.lastUpdate'),
        value: (a) => (commitment(a)?.updates.at(-1) ? `${commitment(a)!.updates.at(-1)!.postedOn} ${commitment(a)!.updates.at(-1)!.note}` : ''),
      },
    );
  }
  const rows = [columns.map((c) => c.label), ...model.plan.actions.map((a) => columns.map((c) => safe(c.value(a))))];
  return '\uFEFF' + rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
