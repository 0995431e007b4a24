/**
 * Prints, after each build, what a participant's phone downloads before it shows anything: the page, the entry
 * with everything it imports, the participant view's chunk and stylesheets, and the biggest language
 * catalogue — compressed as the server sends them (Brotli), against the 100 KB budget. Activity views (boards
 * with Yjs, polls, the plan editor) come later, when the facilitator opens one, so they are listed apart.
 * The figures go to dist/client/first-load.json too.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import type { Plugin, Rollup } from 'vite';

type OutputBundle = Rollup.OutputBundle;
type OutputChunk = Rollup.OutputChunk;

export const FIRST_LOAD_BUDGET = 100 * 1024;
const PARTICIPANT_VIEW = /routes\/participant\/ParticipantView\.svelte$/;
const CATALOGUE = /shared\/i18n\/(\w+)\.ts$/;
const ACTIVITY_VIEWS = /routes\/(board\/ParticipantBoard|poll\/ParticipantPoll|plan\/ParticipantPlan)\.svelte$/;

const brotliSize = (source: string | Uint8Array) => brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** The chunk and every chunk and stylesheet it imports statically. */
function closure(bundle: OutputBundle, start: OutputChunk, seen = new Set<string>()): Set<string> {
  if (seen.has(start.fileName)) return seen;
  seen.add(start.fileName);
  for (const css of start.viteMetadata?.importedCss ?? []) seen.add(css);
  for (const name of start.imports) closure(bundle, bundle[name] as OutputChunk, seen);
  return seen;
}

export function firstLoadReport(): Plugin {
  return {
    name: 'roundtable:first-load-report',
    apply: 'build',
    writeBundle(options, bundle) {
      const chunks = Object.values(bundle).filter((file): file is OutputChunk => file.type === 'chunk');
      const byModule = (pattern: RegExp) => chunks.filter((c) => c.facadeModuleId && pattern.test(c.facadeModuleId));
      const sizeOf = (files: Iterable<string>) => {
        let total = 0;
        for (const name of files) {
          const file = bundle[name]!;
          total += brotliSize(file.type === 'chunk' ? file.code : file.source);
        }
        return total;
      };
      const html = brotliSize((bundle['index.html'] as { source: string }).source);
      const entry = chunks.find((c) => c.isEntry)!;
      const files = closure(bundle, entry);
      for (const view of byModule(PARTICIPANT_VIEW)) closure(bundle, view, files);
      const catalogues = byModule(CATALOGUE).map((c) => ({ language: CATALOGUE.exec(c.facadeModuleId!)![1]!, bytes: brotliSize(c.code) }));
      const biggestCatalogue = Math.max(0, ...catalogues.map((c) => c.bytes));
      const firstLoad = html + sizeOf(files) + biggestCatalogue;
      const activities = byModule(ACTIVITY_VIEWS).map((c) => ({
        view: ACTIVITY_VIEWS.exec(c.facadeModuleId!)![1]!,
        bytes: sizeOf([...closure(bundle, c)].filter((f) => !files.has(f))),
      }));
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      const report = {
        budget: FIRST_LOAD_BUDGET,
        firstLoad,
        html,
        scriptsAndStyles: firstLoad - html - biggestCatalogue,
        biggestCatalogue,
        catalogues,
        activities,
      };
      writeFileSync(join(options.dir!, 'first-load.json'), JSON.stringify(report, null, 2));
      const verdict = firstLoad <= FIRST_LOAD_BUDGET ? 'within' : 'OVER';
      this.info(
        `participant first load ${kb(firstLoad)} Brotli (${verdict} the ${kb(FIRST_LOAD_BUDGET)} budget; fonts aside, ` +
          `incl. the largest catalogue ${kb(biggestCatalogue)}); then per activity: ` +
          activities.map((a) => `${a.view} +${kb(a.bytes)}`).join(', '),
      );
    },
  };
}
