/**
 * A FileArea on an S3 bucket (the intake and export buckets in AWS). A PutObject is atomic per
 * object, so `latest/` copies are replaced whole. A move is CopyObject then DeleteObject: a
 * crash between them leaves the file in both places, and the ingest record (by content hash)
 * makes the re-run finish the move without creating anything twice.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { checkRelativePath, type FileArea, type FileEntry, type StoredFile } from './file-area';

export class S3FileArea implements FileArea {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  async list(folder: string): Promise<FileEntry[]> {
    const prefix = folder === '' ? '' : `${checkRelativePath(folder)}/`;
    const files: FileEntry[] = [];
    let token: string | undefined;
    do {
      const out = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
      );
      for (const object of out.Contents ?? []) {
        if (!object.Key || object.Key.endsWith('/')) continue;
        files.push({ name: object.Key.slice(prefix.length), size: object.Size ?? 0, modifiedAt: object.LastModified ?? new Date(0) });
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return files.sort((a, b) => a.name.localeCompare(b.name));
  }

  async read(path: string): Promise<StoredFile | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: checkRelativePath(path) }));
      const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      return { bytes, ...(out.ETag ? { version: out.ETag } : {}) };
    } catch (error) {
      if (error instanceof NoSuchKey || error instanceof NotFound) return undefined;
      throw error;
    }
  }

  async exists(path: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: checkRelativePath(path) }));
      return true;
    } catch (error) {
      if (error instanceof NotFound || error instanceof NoSuchKey) return false;
      throw error;
    }
  }

  async write(path: string, body: Uint8Array | string, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: checkRelativePath(path), Body: body, ContentType: contentType }));
  }

  async move(from: string, to: string, ifVersion?: string): Promise<'moved' | 'changed'> {
    const source = checkRelativePath(from);
    try {
      await this.s3.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: checkRelativePath(to),
          CopySource: `${this.bucket}/${source.split('/').map(encodeURIComponent).join('/')}`,
          ...(ifVersion !== undefined ? { CopySourceIfMatch: ifVersion } : {}),
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name === 'PreconditionFailed') return 'changed';
      throw error;
    }
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: source }));
    return 'moved';
  }
}
