import { describe, expect, it } from 'vitest';
import { allocatorEnvironment } from '../../../local/allocator-settings.js';

describe("the local host's allocator settings", () => {
  it("are the environment, with glibc's allocator held to 2 arenas and a fixed 128 KB mmap threshold", () => {
    expect(allocatorEnvironment({ TALKBACK_DATA_DIR: '/data', PATH: '/bin' })).toEqual({
      TALKBACK_DATA_DIR: '/data',
      PATH: '/bin',
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: '131072',
    });
  });

  it('keep what the environment already says about the allocator', () => {
    expect(allocatorEnvironment({ MALLOC_ARENA_MAX: '8' })).toMatchObject({ MALLOC_ARENA_MAX: '8', MALLOC_MMAP_THRESHOLD_: '131072' });
  });
});
