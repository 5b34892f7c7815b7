import { stat } from 'node:fs/promises';

/** Whether something is at `path`; any failure other than its absence is thrown as it is (the caller translates it). */
export async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
