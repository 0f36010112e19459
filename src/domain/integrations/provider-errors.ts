import { ProviderError } from '../../providers/roster-provider.ts';

/** Plain-language explanations for district IT and support; never a token or personal data. */
export function explainProviderError(error: unknown): string {
  if (!(error instanceof ProviderError)) return 'An unexpected error occurred while calling the provider.';
  switch (error.kind) {
    case 'auth':
      return `The provider refused our credentials (${error.message}). They may have been revoked or rotated: reconnect the integration.`;
    case 'not_permitted':
      return `The provider says Rollcall is not allowed to read this data (${error.message}). The district must share it with Rollcall.`;
    case 'rate_limited':
      return `The provider is limiting our requests (${error.message}). Rollcall will try again later.`;
    case 'unavailable':
      return `The provider did not answer (${error.message}). It may be down; Rollcall will try again.`;
    case 'bad_data':
      return `The provider sent data Rollcall could not read (${error.message}). Nothing was changed.`;
    case 'not_found':
      return `The provider no longer has this record (${error.message}).`;
  }
}
