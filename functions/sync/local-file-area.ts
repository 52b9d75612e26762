/** A FileArea on a local folder (npm start, npm run sync, tests). Writes are temp file + rename: atomic. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { checkRelativePath, type FileArea, type FileEntry, type StoredFile } from './file-area';

export class LocalFileArea implements FileArea {
  constructor(readonly root: string) {}

  private resolve(path: string): string {
    checkRelativePath(path);
    // Windows reads a backslash as a folder separator: there it could leave the area.
    if (sep === '\\' && path.includes('\\')) throw new Error(`not a safe relative path: ${JSON.stringify(path)}`);
    return join(this.root, ...path.split('/'));
  }

  async list(folder: string): Promise<FileEntry[]> {
    const dir = folder === '' ? this.root : this.resolve(folder);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const files: FileEntry[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      try {
        const info = await stat(join(dir, entry.name));
        files.push({ name: entry.name, size: info.size, modifiedAt: info.mtime });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return files.sort((a, b) => a.name.localeCompare(b.name));
  }

  async read(path: string): Promise<StoredFile | undefined> {
    let handle;
    try {
      handle = await open(this.resolve(path), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      // Stat and read through one handle: the version describes exactly the bytes read.
      const info = await handle.stat();
      return { bytes: await handle.readFile(), version: versionOf(info) };
    } finally {
      await handle.close();
    }
  }

  async exists(path: string): Promise<boolean> {
    try {
      return (await stat(this.resolve(path))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async write(path: string, body: Uint8Array | string): Promise<void> {
    const target = this.resolve(path);
    await mkdir(dirname(target), { recursive: true });
    // A dot-name in the same folder: intake listings skip dot-files, and rename within one
    // folder is atomic, so a reader never sees half a file.
    const temp = join(dirname(target), `.${randomBytes(6).toString('hex')}.partial`);
    try {
      await writeFile(temp, body);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async move(from: string, to: string, ifVersion?: string): Promise<'moved' | 'changed'> {
    const source = this.resolve(from);
    if (ifVersion !== undefined && versionOf(await stat(source)) !== ifVersion) return 'changed';
    const target = this.resolve(to);
    await mkdir(dirname(target), { recursive: true });
    await rename(source, target);
    return 'moved';
  }
}

function versionOf(info: { ino: number; size: number; mtimeMs: number }): string {
  return `${info.ino}:${info.size}:${info.mtimeMs}`;
}
