/** Moments as Excel date serials in UK local time (what finance staff read in the sheet). */

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

const EXCEL_EPOCH_DAYS = 25569; // 1970-01-01 as an Excel serial
const MS_PER_DAY = 86_400_000;

export function dateToExcelSerial(moment: Date): number {
  const parts = Object.fromEntries(londonParts.formatToParts(moment).map((p) => [p.type, p.value]));
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall / MS_PER_DAY + EXCEL_EPOCH_DAYS;
}

/** An ISO timestamp as an Excel serial, or '' when it is not a timestamp. */
export function isoToExcelSerial(iso: string): number | '' {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? dateToExcelSerial(new Date(ms)) : '';
}
