/**
 * What makes two intake rows "the same bid", across files.
 *
 * A file is never ingested twice (its SHA-256 is recorded), but a CSP that corrects one line of
 * its plan and sends it again produces a new file whose unchanged lines would otherwise become
 * second bids. Each good row gets a content key: the SHA-256 of the bid it asks for (the parsed
 * fields, so spacing, number formats and column order do not matter), plus which occurrence of
 * that content it is within its file. A file with two identical lines still makes two bids; the
 * same two lines sent again make none; a third copy makes one more.
 */
import { createHash } from 'node:crypto';
import type { BidCreate } from '../../domain';
import { canonicalJson } from './canonical-json';

/** The content key of each row, in order: `<sha256 of the bid asked for>.<occurrence in this file>`. */
export function rowContentKeys(inputs: readonly BidCreate[]): string[] {
  const seen = new Map<string, number>();
  return inputs.map((input) => {
    const digest = createHash('sha256').update(canonicalJson(input)).digest('hex');
    const occurrence = (seen.get(digest) ?? 0) + 1;
    seen.set(digest, occurrence);
    return `${digest}.${occurrence}`;
  });
}
