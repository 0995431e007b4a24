import { DEFAULT_GLOSSARIES } from '../../shared/glossary/index.js';
import type { PlanSnapshot } from '../../shared/planDoc.js';
import { findFlags, mergeGlossary } from '../../shared/terminology.js';

/** Every flagged term in a plan, with where it is: the checklist shown before an export. */
export function terminologyChecklist(plan: PlanSnapshot, language: string): { where: string; found: string; suggestion: string }[] {
  const glossary = mergeGlossary(DEFAULT_GLOSSARIES[language] ?? [], plan.glossary);
  const places: [string, string][] = [
    ['title', plan.title],
    ...Object.entries(plan.sections),
    ...plan.actions.flatMap((a, i) => [
      ...Object.entries({ title: a.title, description: a.description, lead: a.lead, partners: a.partners, resources: a.resources, risks: a.risks }).map(
        ([field, text]) => [`action ${i + 1} ${field}`, text] as [string, string],
      ),
      ...a.indicators.flatMap((indicator, n) => [[`action ${i + 1} indicator ${n + 1}`, `${indicator.text} ${indicator.target}`] as [string, string]]),
    ]),
  ];
  return places.flatMap(([where, text]) => findFlags(text, glossary).map((f) => ({ where, found: f.found, suggestion: f.suggestion })));
}
