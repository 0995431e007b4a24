import type { GlossaryEntry } from '../terminology.js';
import { en } from './en.js';
import { fr } from './fr.js';

/** Default glossaries by language; a language without one gets an empty list, filled per workshop. */
export const DEFAULT_GLOSSARIES: Record<string, readonly GlossaryEntry[]> = { en, fr };
