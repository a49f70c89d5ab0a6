/**
 * Files replaced whole and on disk: what a saved model and a checkpoint commit by. The data goes to a
 * temporary file beside the target, is flushed (fsync), renamed over the target, and the folder is
 * flushed too, so that after a crash or a power loss the target holds the old bytes or the new ones.
 */
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * @example
 * await replaceFile('models/m/manifest.json', JSON.stringify(manifest));
 */
export async function replaceFile(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.tmp`;
  const file = await open(temporary, 'w');
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  await syncFolder(dirname(path));
}

/** Flushes a folder's entries (a rename into it) to disk. */
export async function syncFolder(path: string): Promise<void> {
  const folder = await open(path, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
