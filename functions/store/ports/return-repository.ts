/** Monitoring returns (docs/design.md §1.4): one per bid and quarter, under the bid's financial year. */
import type { MonitoringReturn } from '../../../domain';

export interface ReturnRepository {
  readReturn(fy: string, bidId: string, quarter: string): Promise<MonitoringReturn | undefined>;
  /**
   * Write a return's next version, conditional on the version read (0: none yet); 'conflict' when
   * another write got there first.
   */
  putReturn(next: MonitoringReturn, expectedVersion: number): Promise<'written' | 'conflict'>;
  /** A bid's returns, by quarter. */
  returnsOfBid(fy: string, bidId: string): Promise<MonitoringReturn[]>;
  /** Every return of a financial year, by bid then quarter (budget checks 7–8, the year's report). */
  returnsOfYear(fy: string): Promise<MonitoringReturn[]>;
}
