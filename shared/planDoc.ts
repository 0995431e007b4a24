/**
 * Layout of the workshop's action plan, one Yjs document named `plan`. Sections are root-level Y.Texts
 * (so concurrent first edits merge instead of racing to create them); actions are Y.Maps in one Y.Array,
 * their free-text fields Y.Texts so two drafters can edit the same action at once.
 */
import * as Y from 'yjs';

export const SECTIONS = ['context', 'vision', 'objectives', 'monitoring', 'worked', 'didNotWork'] as const;
export type Section = (typeof SECTIONS)[number];
export const PILLARS = ['preparedness', 'prevention', 'response', 'recovery'] as const;
export type Pillar = (typeof PILLARS)[number];
export const ACTION_STATUSES = ['planned', 'underway', 'done'] as const;
export const ACTION_TEXTS = ['title', 'description', 'lead', 'partners', 'resources', 'risks'] as const;
export type ActionText = (typeof ACTION_TEXTS)[number];

export const planTitle = (doc: Y.Doc) => doc.getText('title');
export const sectionText = (doc: Y.Doc, section: Section) => doc.getText(section);
export const actionsOf = (doc: Y.Doc) => doc.getArray<Y.Map<unknown>>('actions');
/** Terms a workshop adds to its glossary: term → suggested alternative. */
export const glossaryOf = (doc: Y.Doc) => doc.getMap<string>('glossary');
/** Every root of the document by its type (server/yjs/freshState.ts copies them). */
export const PLAN_ROOTS = { texts: ['title', ...SECTIONS], arrays: ['actions'], maps: ['glossary'] } as const;

/** A plain snapshot of an action, for display, checks and exports. */
export type PlanAction = {
  id: string;
  pillar: Pillar | null;
  status: (typeof ACTION_STATUSES)[number];
  start: string;
  end: string;
  indicators: { text: string; target: string }[];
  /** `board:<activityId>:<itemId>` or `poll:<activityId>`: the evidence that motivated the action. */
  links: string[];
} & Record<ActionText, string>;

/**
 * Reads an action defensively: the document is shared by everyone who writes the plan, so a field of the
 * wrong type reads as empty instead of breaking the plan (and its exports) for everyone.
 */
export function readAction(fields: Y.Map<unknown>): PlanAction {
  const text = (value: unknown) => (value instanceof Y.Text ? value.toString() : '');
  const plain = (value: unknown) => (typeof value === 'string' ? value : '');
  const indicators = fields.get('indicators');
  const links = fields.get('links');
  const pillar = fields.get('pillar');
  const status = fields.get('status');
  return {
    id: plain(fields.get('id')),
    pillar: PILLARS.includes(pillar as Pillar) ? (pillar as Pillar) : null,
    status: ACTION_STATUSES.includes(status as PlanAction['status']) ? (status as PlanAction['status']) : 'planned',
    start: plain(fields.get('start')).slice(0, 10),
    end: plain(fields.get('end')).slice(0, 10),
    indicators:
      indicators instanceof Y.Array
        ? indicators.toArray().flatMap((i) => (i instanceof Y.Map ? [{ text: text(i.get('text')), target: text(i.get('target')) }] : []))
        : [],
    links: links instanceof Y.Array ? links.toArray().filter((l): l is string => typeof l === 'string') : [],
    ...(Object.fromEntries(ACTION_TEXTS.map((key) => [key, text(fields.get(key))])) as Record<ActionText, string>),
  };
}

export type PlanSnapshot = { title: string; sections: Record<Section, string>; actions: PlanAction[]; glossary: Record<string, string> };

export function readPlan(doc: Y.Doc): PlanSnapshot {
  return {
    title: planTitle(doc).toString(),
    sections: Object.fromEntries(SECTIONS.map((s) => [s, sectionText(doc, s).toString()])) as Record<Section, string>,
    // Actions with an id seen before (a malformed or duplicated entry) are left out.
    actions: actionsOf(doc)
      .toArray()
      .filter((a): a is Y.Map<unknown> => a instanceof Y.Map)
      .map(readAction)
      .filter((a, i, all) => a.id !== '' && all.findIndex((b) => b.id === a.id) === i),
    glossary: glossaryOf(doc).toJSON() as Record<string, string>,
  };
}

function newIndicator(): Y.Map<unknown> {
  const indicator = new Y.Map<unknown>();
  indicator.set('text', new Y.Text());
  indicator.set('target', new Y.Text());
  return indicator;
}

/** Appends an action (all its fields created by the one writer who adds it) and returns its Y.Map. */
export function addAction(doc: Y.Doc, id: string, init: { title?: string; pillar?: Pillar | null; links?: string[] } = {}): Y.Map<unknown> {
  const fields = new Y.Map<unknown>();
  doc.transact(() => {
    fields.set('id', id);
    for (const key of ACTION_TEXTS) fields.set(key, new Y.Text(key === 'title' ? (init.title ?? '') : ''));
    fields.set('pillar', init.pillar ?? null);
    fields.set('status', 'planned');
    fields.set('start', '');
    fields.set('end', '');
    const indicators = new Y.Array<Y.Map<unknown>>();
    indicators.push([newIndicator()]);
    fields.set('indicators', indicators);
    fields.set('links', Y.Array.from(init.links ?? []));
    actionsOf(doc).push([fields]);
  });
  return fields;
}

export function addIndicator(action: Y.Map<unknown>): void {
  (action.get('indicators') as Y.Array<Y.Map<unknown>>).push([newIndicator()]);
}

export function removeAction(doc: Y.Doc, id: string): void {
  const index = actionsOf(doc)
    .toArray()
    .findIndex((a) => a.get('id') === id);
  if (index >= 0) actionsOf(doc).delete(index, 1);
}

/** Writes a plan snapshot into an empty document (an imported plan, a template's skeleton). */
export function writePlan(doc: Y.Doc, plan: Omit<PlanSnapshot, 'actions'> & { actions: Omit<PlanAction, 'id'>[] }, newId: () => string): void {
  doc.transact(() => {
    planTitle(doc).insert(0, plan.title);
    for (const section of SECTIONS) if (plan.sections[section]) sectionText(doc, section).insert(0, plan.sections[section]);
    for (const [term, suggestion] of Object.entries(plan.glossary)) glossaryOf(doc).set(term, suggestion);
    for (const action of plan.actions) {
      const fields = addAction(doc, newId(), { title: action.title, pillar: action.pillar, links: action.links });
      for (const key of ACTION_TEXTS) if (key !== 'title' && action[key]) (fields.get(key) as Y.Text).insert(0, action[key]);
      fields.set('status', action.status);
      fields.set('start', action.start);
      fields.set('end', action.end);
      const indicators = fields.get('indicators') as Y.Array<Y.Map<unknown>>;
      indicators.delete(0, indicators.length);
      for (const indicator of action.indicators) {
        const entry = new Y.Map<unknown>();
        entry.set('text', new Y.Text(indicator.text));
        entry.set('target', new Y.Text(indicator.target));
        indicators.push([entry]);
      }
    }
  });
}
