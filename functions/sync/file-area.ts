/**
 * Where the sync job's files live, behind a small port: the intake and export buckets in AWS
 * (s3-file-area.ts), folders under $FUNDSHARE_DATA_DIR locally (local-file-area.ts).
 * Paths are relative and '/'-separated: "plans.csv", "done/plans.csv", "latest/x.csv".
 */

export interface FileEntry {
  /** The file's name inside the folder listed (no folder part). */
  name: string;
  size: number;
  modifiedAt: Date;
}

export interface StoredFile {
  bytes: Uint8Array;
  /** Changes whenever the file is written again; undefined where the store gives none. */
  version?: string;
}

export interface FileArea {
  /** Files directly inside a folder ('' = the top), never those in sub-folders. */
  list(folder: string): Promise<FileEntry[]>;
  /** The whole file and its version (ETag; inode, size and time locally), or undefined when there is none. */
  read(path: string): Promise<StoredFile | undefined>;
  exists(path: string): Promise<boolean>;
  /** Write a whole file; a reader sees the old content or the new, never a part. */
  write(path: string, body: Uint8Array | string, contentType: string): Promise<void>;
  /**
   * Move a file (rename locally; copy then delete in S3). With `ifVersion`, only the version that
   * was read: a file saved again meanwhile stays where it is ('changed') for the next run.
   */
  move(from: string, to: string, ifVersion?: string): Promise<'moved' | 'changed'>;
}

/**
 * Refuse paths that could leave the area: absolute, empty segments, '.' or '..'. Any other
 * character may be in a name someone dropped in the intake (the local area also refuses a
 * backslash on Windows, where it separates folders).
 */
export function checkRelativePath(path: string): string {
  const segments = path.split('/');
  if (path === '' || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`not a safe relative path: ${JSON.stringify(path)}`);
  }
  return path;
}
