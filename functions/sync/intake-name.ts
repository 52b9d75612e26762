/**
 * Which intake file names the sync takes as they are, and the safe name a refused one is set
 * aside under. A name with control or bidi characters, a backslash or NUL, or one too long for
 * done/<name>.<hash>.rejected.csv to fit a file system's 255-byte limit, is refused once: the
 * file moves to done/ under a safe name with a report saying why, instead of failing every run.
 */
import { createHash } from 'node:crypto';
import { printableText } from '../../domain';

/** Longest intake name taken, in UTF-8 bytes: 255 less room for ".<12 hex>" and ".rejected.csv". */
export const MAX_INTAKE_NAME_BYTES = 200;

// C0 and C1 controls, DEL, bidi controls, lone surrogates (what printableText escapes), and the
// characters some file system or tool treats as a separator or terminator.
const UNSAFE =
  /[\\\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why the name is refused, or undefined when the file can be taken under its own name. */
export function intakeNameProblem(name: string): string | undefined {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_INTAKE_NAME_BYTES) {
    return `the file name is ${bytes} bytes long; at most ${MAX_INTAKE_NAME_BYTES} are taken: rename the file and drop it again`;
  }
  if (UNSAFE.test(name)) {
    return 'the file name holds control characters, a backslash or bidirectional controls: rename the file and drop it again';
  }
  return undefined;
}

/** A safe, unique-enough name for a refused file: its readable part, shortened, and a hash of the whole name. */
export function setAsideName(name: string): string {
  const dot = name.lastIndexOf('.');
  const extension =
    dot > 0
      ? name
          .slice(dot)
          .toLowerCase()
          .replace(/[^a-z0-9.]/g, '')
      : '';
  const readable = printableText(dot > 0 ? name.slice(0, dot) : name)
    .replace(/[^A-Za-z0-9 ._-]+/g, '_')
    .slice(0, 60)
    .trim();
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
  return `refused-name.${readable === '' ? '' : `${readable}.`}${hash}${extension.slice(0, 10)}`;
}
