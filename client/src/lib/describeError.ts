import { t } from '../i18n/i18n.svelte';

/** A refusal from the server, in the reader's language; the server's (English) detail only where it helps. */
export function describeError(error: { code: string; message: string }): string {
  switch (error.code) {
    case 'conflict':
    case 'invalid_input':
      return t(`error.${error.code}`, { detail: error.message });
    case 'forbidden':
    case 'network':
    case 'not_found':
    case 'rate_limited':
    case 'storage_full':
    case 'storage_failed':
    case 'unauthorized':
      return t(`error.${error.code}`);
    default:
      return t('error.internal');
  }
}
