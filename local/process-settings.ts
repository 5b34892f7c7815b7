/**
 * Imported first by `npm start`'s entry (local/main.ts): the host's process-wide settings, before the
 * rest of it is evaluated.
 * - libuv's thread pool (file system, DNS, the inbox's syncs) is one per process, shared by the intake
 *   and the pipeline worker thread: 8 threads rather than libuv's 4, so that the worker's file writes
 *   and syncs cannot hold every thread while an acknowledgement waits for its own sync (unless
 *   UV_THREADPOOL_SIZE is set). libuv reads it when the pool starts, and the restart below passes it on.
 * - glibc's allocator settings (local/allocator-settings.ts).
 */
import { restartWithAllocatorSettings } from './allocator-settings.js';

process.env['UV_THREADPOOL_SIZE'] ??= '8';
restartWithAllocatorSettings();
