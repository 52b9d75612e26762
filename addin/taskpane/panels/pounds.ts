import { formatPounds, type Pence } from '../../../domain';

/** A money cell that may be blank in the sheet. */
export const poundsOrBlank = (pence: Pence | null): string => (pence === null ? 'blank' : formatPounds(pence));
