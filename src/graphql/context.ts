import type { AccessService } from '../access/service.js';
import type { ContentService } from '../content/service.js';
import type { ReadContext } from '../content/visibility.js';
import type { QueryMeasure } from './limits.js';
import type { ReadBatches } from './read-batches.js';

declare module 'mercurius' {
  interface MercuriusContext {
    content: ContentService;
    access: AccessService;
    read: ReadContext;
    /** Per-request batched reads (read-batches.ts). */
    batch: ReadBatches;
    /** Set before execution; reported in the response's extensions. */
    measure?: QueryMeasure;
    /** Aborted when the server starts shutting down: long work (an import) stops. */
    shutdownSignal: AbortSignal;
    /** Why the request may not run (a preview without the scope). */
    refused?: unknown;
  }
}
