/**
 * The public follow-up page and its one-page handout, rendered on the server as plain HTML: it reads without
 * JavaScript, on a weak phone, in a few kilobytes; the pulse check is an ordinary form. Everything a person
 * typed is escaped, and an evidence address is printed as text beside its domain, never as a link.
 */
import { RTL_LANGUAGES, type Language } from '../../shared/protocol/index.js';
import type { Commitment, CommitmentStatus, CommitmentUpdate, FollowUpView, PulseCheck, PulseQuestion } from '../../shared/protocol/followUp.js';
import { translate } from '../../shared/i18n/catalogues.js';
import { isRealDate } from '../../shared/protocol/dates.js';
import type { MessageKey } from '../../shared/i18n/format.js';
import { evidenceDomain, indicatorSeries, isLate, statusOf } from '../../shared/followUpState.js';
import type { PulseNotice } from './followUpRoutes.js';

const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', fr: 'Français', ar: 'العربية', sw: 'Kiswahili' };

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** User text: escaped, its direction its own. */
const user = (text: string, tag = 'span') => `<${tag} dir="auto">${escape(text)}</${tag}>`;

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,"Noto Sans","Noto Sans Arabic",sans-serif;color:#1a1a1a;background:#f6f6f3}
code{overflow-wrap:anywhere}main{max-width:46rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}h3{font-size:1.05rem;margin:0}
.card{background:#fff;border:1px solid #d5d5cf;border-radius:.5rem;padding:.75rem 1rem;margin-block:.75rem}
.muted{color:#555}.langs{display:flex;gap:.75rem;flex-wrap:wrap;font-size:.9rem}.langs a{color:#1d4f91}
.badge{display:inline-block;padding:0 .5rem;border-radius:1rem;font-size:.85rem;font-weight:600;border:1px solid}
.s-done{background:#e5f4e8;color:#14532d;border-color:#14532d}.s-in_progress{background:#e7eefb;color:#1e3a8a;border-color:#1e3a8a}
.s-not_started{background:#f1f1ee;color:#333;border-color:#555}.s-dropped{background:#fbe9e7;color:#7f1d1d;border-color:#7f1d1d}
.late{background:#fff4d6;color:#6b3d00;border-color:#6b3d00}
.summary{display:flex;flex-wrap:wrap;gap:.5rem;padding:0;list-style:none}
dl{margin:.5rem 0;display:grid;grid-template-columns:max-content 1fr;gap:.15rem .75rem}dt{color:#555}dd{margin:0}
.chart{width:100%;max-width:24rem;height:auto}.chart text{font-size:10px;fill:#333}
table{border-collapse:collapse;font-size:.9rem}td,th{padding:.15rem .5rem;border-block-end:1px solid #ddd;text-align:start}
fieldset{border:1px solid #ccc;border-radius:.5rem;margin-block:.75rem;padding:.5rem .75rem}legend{font-weight:600;padding-inline:.25rem}
.scale{display:flex;flex-wrap:wrap;gap:.25rem}.scale label{display:flex;align-items:center;gap:.25rem;min-height:44px;padding-inline:.5rem;border:1px solid #bbb;border-radius:.35rem}
button{font:inherit;min-height:44px;padding:.25rem 1rem;border-radius:.35rem;border:1px solid #1d4f91;background:#1d4f91;color:#fff}
.bar{display:grid;grid-template-columns:6rem 1fr 3rem;gap:.5rem;align-items:center;font-size:.9rem}.bar span.fill{display:block;height:.8rem;background:#1d4f91;border-radius:.2rem}
.notice{border-inline-start:4px solid #1d4f91;padding-inline-start:.75rem}
@media print{body{background:#fff}.noprint{display:none}}
`;

function page(language: Language, title: string, body: string): string {
  const dir = RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr';
  return `<!doctype html><html lang="${language}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escape(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

const dateOf = (language: Language, ms: number) => new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(ms);
/** A stored date as the reader writes it; one that is not a real date (written before it was checked) as it is. */
const day = (language: Language, iso: string) => (isRealDate(iso) ? dateOf(language, Date.parse(`${iso}T00:00:00Z`)) : iso);

const STATUS_KEYS: Record<CommitmentStatus, MessageKey> = {
  not_started: 'followUp.status.not_started',
  in_progress: 'followUp.status.in_progress',
  done: 'followUp.status.done',
  dropped: 'followUp.status.dropped',
};

/** A line chart of an indicator's values over time, with its target as a dashed line when the target is a number. */
function chart(
  language: Language,
  t: (key: MessageKey, values?: Record<string, string | number>) => string,
  series: { date: string; value: number }[],
  target: string,
): string {
  const goal = Number(target.replace(',', '.').replace(/[^\d.-]/g, ''));
  const hasGoal = target.trim() !== '' && Number.isFinite(goal) && /\d/.test(target);
  const values = series.map((p) => p.value).concat(hasGoal ? [goal] : []);
  const [low, high] = [Math.min(0, ...values), Math.max(...values, 1)];
  const x = (i: number) => 30 + (series.length === 1 ? 130 : (i * 260) / (series.length - 1));
  const y = (v: number) => 100 - ((v - low) / (high - low || 1)) * 85;
  const points = series.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const label = t('followUp.chartLabel', { count: series.length, latest: series.at(-1)!.value, target: target || '—' });
  return `<svg class="chart" dir="ltr" viewBox="0 0 300 120" role="img" aria-label="${escape(label)}">
<line x1="30" y1="100" x2="290" y2="100" stroke="#999"/>
${hasGoal ? `<line x1="30" x2="290" y1="${y(goal).toFixed(1)}" y2="${y(goal).toFixed(1)}" stroke="#6b3d00" stroke-dasharray="4 3"/><text x="292" y="${(y(goal) - 3).toFixed(1)}" text-anchor="end">${escape(t('followUp.target'))} ${escape(target)}</text>` : ''}
<polyline fill="none" stroke="#1d4f91" stroke-width="2" points="${points}"/>
${series.map((p, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3" fill="#1d4f91"/>`).join('')}
<text x="30" y="114">${escape(day(language, series[0]!.date))}</text>${series.length > 1 ? `<text x="290" y="114" text-anchor="end">${escape(day(language, series.at(-1)!.date))}</text>` : ''}
</svg>`;
}

function updateLine(
  language: Language,
  t: (key: MessageKey, values?: Record<string, string | number>) => string,
  update: CommitmentUpdate,
  commitment: Commitment,
): string {
  const parts = [`<strong>${escape(dateOf(language, update.postedAt))}</strong>`];
  if (update.corrects) parts.push(`<em>${escape(t('followUp.correction'))}</em>`);
  if (update.status) parts.push(`<span class="badge s-${update.status}">${escape(t(STATUS_KEYS[update.status]))}</span>`);
  if (update.reason) parts.push(user(update.reason));
  if (update.note) parts.push(user(update.note));
  if (update.indicator) {
    const indicator = commitment.indicators[update.indicator.index];
    parts.push(escape(t('followUp.measured', { indicator: indicator?.text ?? '', value: update.indicator.value, date: day(language, update.indicator.date) })));
  }
  if (update.evidence) {
    const domain = evidenceDomain(update.evidence);
    parts.push(`${escape(t('followUp.evidence', { domain }))} <code dir="ltr">${escape(update.evidence)}</code>`);
  }
  return parts.join(' · ');
}

function commitmentCard(
  view: FollowUpView,
  language: Language,
  today: string,
  t: (key: MessageKey, values?: Record<string, string | number>) => string,
  c: Commitment,
): string {
  const { status, reason } = statusOf(c, view.updates);
  const late = isLate(c, status, today);
  const owner = view.owners.find((o) => o.id === c.ownerId);
  const updates = view.updates.filter((u) => u.commitmentId === c.id);
  const last = updates.at(-1);
  const indicators = c.indicators
    .map((indicator, index) => {
      const series = indicatorSeries(c.id, index, view.updates);
      const head = `${user(indicator.text)}${indicator.target ? ` — ${escape(t('followUp.target'))}: ${user(indicator.target)}` : ''}`;
      if (!series.length) return `<li>${head} <span class="muted">${escape(t('followUp.noValues'))}</span></li>`;
      const rows = series
        .map((p) => `<tr><td>${escape(day(language, p.date))}</td><td>${escape(new Intl.NumberFormat(language).format(p.value))}</td></tr>`)
        .join('');
      return `<li>${head}${chart(language, t, series, indicator.target)}<details><summary>${escape(t('followUp.values'))}</summary><table><tr><th>${escape(t('followUp.date'))}</th><th>${escape(t('followUp.value'))}</th></tr>${rows}</table></details></li>`;
    })
    .join('');
  return `<article class="card" id="c-${escape(c.id)}">
<h3 dir="auto">${escape(c.title || t('followUp.untitled'))}</h3>
<p><span class="badge s-${status}">${escape(t(STATUS_KEYS[status]))}</span>${late ? ` <span class="badge late">${escape(t('followUp.late'))}</span>` : ''}</p>
${c.description ? `<p dir="auto">${escape(c.description)}</p>` : ''}
<dl><dt>${escape(t('followUp.owner'))}</dt><dd>${owner?.name ? user(owner.name) : escape(t('followUp.noOwner'))}</dd>
<dt>${escape(t('followUp.due'))}</dt><dd>${c.due ? escape(day(language, c.due)) : escape(t('followUp.noDue'))}</dd>
${status === 'dropped' ? `<dt>${escape(t('followUp.droppedBecause'))}</dt><dd>${user(reason ?? '')}</dd>` : ''}
<dt>${escape(t('followUp.lastUpdate'))}</dt><dd>${last ? updateLine(language, t, last, c) : escape(t('followUp.noUpdates'))}</dd></dl>
${indicators ? `<ul>${indicators}</ul>` : ''}
${updates.length > 1 ? `<details><summary>${escape(t('followUp.history', { count: updates.length }))}</summary><ol>${updates.map((u) => `<li>${updateLine(language, t, u, c)}</li>`).join('')}</ol></details>` : ''}
</article>`;
}

function questionText(view: FollowUpView, t: (key: MessageKey, values?: Record<string, string | number>) => string, q: PulseQuestion): string {
  if (q.kind === 'repeat') return q.question;
  const c = view.commitments.find((x) => x.id === q.commitmentId);
  return t('followUp.pulse.delivered', { commitment: c?.title || t('followUp.untitled') });
}

function bars(language: Language, counts: readonly number[], labels: string[]): string {
  // Scaled to the largest count, so the shape reads at a glance; the numbers beside the bars are the counts.
  const total = Math.max(...counts, 1);
  return counts
    .map(
      (n, i) =>
        `<div class="bar"><span>${escape(labels[i]!)}</span><span><span class="fill" style="inline-size:${((n / total) * 100).toFixed(0)}%"></span></span><span>${escape(new Intl.NumberFormat(language).format(n))}</span></div>`,
    )
    .join('');
}

function pulseResults(
  view: FollowUpView,
  language: Language,
  t: (key: MessageKey, values?: Record<string, string | number>) => string,
  pulse: PulseCheck,
): string {
  const when = `${dateOf(language, pulse.openedAt)}${pulse.closedAt ? ` – ${dateOf(language, pulse.closedAt)}` : ''}`;
  if (!pulse.results)
    return `<div class="card"><h3>${escape(t('followUp.pulse.heading', { date: when }))}</h3><p class="muted">${escape(t('followUp.pulse.tooFew', { k: view.anonymityThreshold }))}</p></div>`;
  const labels = [t('followUp.pulse.dontKnow'), '1', '2', '3', '4', '5'];
  const items = pulse.questions
    .map((q) => {
      const tally = pulse.results!.tallies.find((x) => x.questionId === q.id);
      if (!tally) return '';
      const after = `<div><p class="muted">${escape(t('followUp.pulse.now', { count: pulse.results!.answers }))}</p>${bars(language, tally.counts, labels)}</div>`;
      const before =
        q.kind === 'repeat' && q.before
          ? `<div><p class="muted">${escape(t('followUp.pulse.before', { count: q.before.respondents }))}</p>${bars(language, q.before.counts, ['1', '2', '3', '4', '5'])}</div>`
          : '';
      return `<li><p dir="auto">${escape(questionText(view, t, q))}</p>${before}${after}</li>`;
    })
    .join('');
  return `<div class="card"><h3>${escape(t('followUp.pulse.heading', { date: when }))}</h3><ul>${items}</ul></div>`;
}

function pulseForm(
  view: FollowUpView,
  code: string,
  language: Language,
  t: (key: MessageKey, values?: Record<string, string | number>) => string,
  pulse: PulseCheck,
): string {
  const fields = pulse.questions
    .map((q, i) => {
      const scale =
        q.kind === 'repeat' && (q.low || q.high)
          ? `<p class="muted">1 = ${user(q.low)} · 5 = ${user(q.high)}</p>`
          : q.kind === 'delivered'
            ? `<p class="muted">${escape(t('followUp.pulse.scale'))}</p>`
            : '';
      const options = [1, 2, 3, 4, 5, 0]
        .map(
          (v) =>
            `<label><input type="radio" name="q.${escape(q.id)}" value="${v}" required> ${escape(v === 0 ? t('followUp.pulse.dontKnow') : String(v))}</label>`,
        )
        .join('');
      return `<fieldset><legend dir="auto">${i + 1}. ${escape(questionText(view, t, q))}</legend>${scale}<div class="scale">${options}</div></fieldset>`;
    })
    .join('');
  return `<form method="post" action="/f/${code}/pulse/${escape(pulse.id)}?lang=${language}" class="card"><p>${escape(t('followUp.pulse.intro', { k: view.anonymityThreshold }))}</p>${fields}<button type="submit">${escape(t('followUp.pulse.send'))}</button></form>`;
}

export function renderFollowUpPage(
  view: FollowUpView,
  options: { language: Language; today: string; answered: boolean; notice: PulseNotice | undefined },
): string {
  const { language, today } = options;
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(language, key, values);
  const code = view.publicUrl.split('/').at(-1)!;
  const states = view.commitments.map((c) => {
    const { status } = statusOf(c, view.updates);
    return { status, late: isLate(c, status, today) };
  });
  const count = (status: CommitmentStatus) => states.filter((s) => s.status === status).length;
  const summary = (['done', 'in_progress', 'not_started', 'dropped'] as const)
    .map((s) => `<li class="badge s-${s}">${escape(t(STATUS_KEYS[s]))}: ${count(s)}</li>`)
    .concat(states.some((s) => s.late) ? [`<li class="badge late">${escape(t('followUp.late'))}: ${states.filter((s) => s.late).length}</li>`] : [])
    .join('');
  const open = view.pulses.find((p) => p.closedAt === null);
  const notice = options.notice ? `<p class="notice" role="status">${escape(t(`followUp.pulse.notice.${options.notice}`))}</p>` : '';
  const pulse = open
    ? `<section id="pulse"><h2>${escape(t('followUp.pulse.title'))}</h2>${notice}${options.answered ? `<p class="card">${escape(t('followUp.pulse.thanks'))}</p>` : pulseForm(view, code, language, t, open)}</section>`
    : notice;
  const lessons = [
    ['followUp.worked', view.lessons.worked],
    ['followUp.didNotWork', view.lessons.didNotWork],
  ] as const;
  const body = `<nav class="langs noprint" aria-label="${escape(t('common.language'))}">${(Object.keys(LANGUAGE_NAMES) as Language[])
    .map((l) =>
      l === language ? `<strong lang="${l}">${LANGUAGE_NAMES[l]}</strong>` : `<a href="?lang=${l}" lang="${l}" hreflang="${l}">${LANGUAGE_NAMES[l]}</a>`,
    )
    .join('')}</nav>
<p class="muted">${escape(t('followUp.kicker', { date: dateOf(language, view.endedAt) }))}</p>
<h1 dir="auto">${escape(view.title)}</h1>
<ul class="summary" aria-label="${escape(t('followUp.summary'))}">${summary}</ul>
${pulse}
<h2>${escape(t('followUp.commitments', { count: view.commitments.length }))}</h2>
${view.commitments.length ? view.commitments.map((c) => commitmentCard(view, language, today, t, c)).join('') : `<p>${escape(t('followUp.noCommitments'))}</p>`}
<h2>${escape(t('followUp.lessons'))}</h2>
${lessons.map(([key, text]) => `<div class="card"><h3>${escape(t(key))}</h3>${text.trim() ? `<p dir="auto" style="white-space:pre-line">${escape(text)}</p>` : `<p class="muted">${escape(t('followUp.nothingYet'))}</p>`}</div>`).join('')}
${view.pulses.filter((p) => p.closedAt !== null || p.results).length ? `<h2>${escape(t('followUp.pulse.results'))}</h2>${view.pulses.map((p) => pulseResults(view, language, t, p)).join('')}` : ''}
<p class="muted">${escape(t('followUp.kept', { date: dateOf(language, view.expiresAt) }))}</p>`;
  return page(language, `${view.title} — ${t('followUp.pageTitle')}`, body);
}

/** One printable page for the room: where to follow what happens next, with the QR code. */
export function renderHandout(view: FollowUpView, options: { language: Language; qr: string }): string {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(options.language, key, values);
  const body = `<h1 dir="auto">${escape(view.title)}</h1>
<p style="font-size:1.25rem">${escape(t('followUp.handout.lead'))}</p>
<div style="max-width:18rem;margin:1rem auto">${options.qr}</div>
<p style="text-align:center;font-size:1.4rem"><code dir="ltr">${escape(view.publicUrl)}</code></p>
<p>${escape(t('followUp.handout.what', { count: view.commitments.length }))}</p>
<p class="muted">${escape(t('followUp.kept', { date: dateOf(options.language, view.expiresAt) }))}</p>`;
  return page(options.language, view.title, body);
}
