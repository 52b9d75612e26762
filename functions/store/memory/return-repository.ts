/** Monitoring returns in a map, as the DynamoDB adapter keeps them. */
import type { MonitoringReturn } from '../../../domain';
import { keys } from '../keys';
import type { ReturnRepository } from '../ports/return-repository';
import { copy, tick } from './values';

export class MemoryReturnRepository implements ReturnRepository {
  /** By the table's key (pk and sk joined), so ordering matches the table's. */
  private readonly items = new Map<string, MonitoringReturn>();

  async readReturn(fy: string, bidId: string, quarter: string): Promise<MonitoringReturn | undefined> {
    await tick();
    return copy(this.items.get(keyOf(fy, bidId, quarter)));
  }

  async putReturn(next: MonitoringReturn, expectedVersion: number): Promise<'written' | 'conflict'> {
    await tick();
    const key = keyOf(next.fy, next.bidId, next.quarter);
    if ((this.items.get(key)?.version ?? 0) !== expectedVersion) return 'conflict';
    this.items.set(key, copy(next));
    return 'written';
  }

  async returnsOfBid(fy: string, bidId: string): Promise<MonitoringReturn[]> {
    await tick();
    return this.matching(`${keys.budget(fy).pk}\u0000${keys.returnPrefixOfBid(bidId)}`);
  }

  async returnsOfYear(fy: string): Promise<MonitoringReturn[]> {
    await tick();
    return this.matching(`${keys.budget(fy).pk}\u0000${keys.returnPrefix}`);
  }

  private matching(prefix: string): MonitoringReturn[] {
    return [...this.items.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => copy(r));
  }
}

function keyOf(fy: string, bidId: string, quarter: string): string {
  const key = keys.monitoringReturn(fy, bidId, quarter);
  return `${key.pk}\u0000${key.sk}`;
}
