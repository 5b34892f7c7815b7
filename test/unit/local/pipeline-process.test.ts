import { describe, expect, it } from 'vitest';
import { workerEnvironment } from '../../../local/pipeline-process.js';

describe("the pipeline worker's environment", () => {
  it("is the host's, with glibc's allocator held to 2 arenas and a fixed 128 KB mmap threshold", () => {
    expect(workerEnvironment({ TALKBACK_DATA_DIR: '/data', PATH: '/bin' })).toEqual({
      TALKBACK_DATA_DIR: '/data',
      PATH: '/bin',
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: '131072',
    });
  });

  it('keeps what the environment already says about the allocator', () => {
    expect(workerEnvironment({ MALLOC_ARENA_MAX: '8' })).toMatchObject({ MALLOC_ARENA_MAX: '8', MALLOC_MMAP_THRESHOLD_: '131072' });
  });
});
