/**
 * Imported first by `npm start`'s entry (local/main.ts), so that the restart with the allocator's
 * settings happens before the rest of the host is evaluated (see local/allocator-settings.ts).
 */
import { restartWithAllocatorSettings } from './allocator-settings.js';

restartWithAllocatorSettings();
