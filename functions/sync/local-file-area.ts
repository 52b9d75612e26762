/** A FileArea on a local folder (npm start, npm run sync, tests). Writes are temp file + rename: atomic. */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkRelativePath, type FileArea, type FileEntry } from './file-area';

export class LocalFileArea implements FileArea {
  constructor(readonly root: string) {}

  private resolve(path: string): string {
    return join(this.root, ...checkRelativePath(path).split('/'));
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

  async read(path: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.resolve(path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
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

  async move(from: string, to: string): Promise<void> {
    const target = this.resolve(to);
    await mkdir(dirname(target), { recursive: true });
    await rename(this.resolve(from), target);
  }
}
