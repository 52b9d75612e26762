/** The in-memory store port against the same contract as the DynamoDB adapter. */
import { MemoryFundStore } from '../../functions/store/memory/memory-fund-store';
import { describeFundStoreContract } from './fund-store-contract';

describeFundStoreContract('in memory', () => Promise.resolve({ store: new MemoryFundStore() }));
