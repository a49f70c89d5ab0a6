/** Number and time formats shared by the views. */

export const percent = (share: number, digits = 0) => `${(share * 100).toFixed(digits)}%`;

export const decimal = (value: number, digits = 3) => value.toFixed(digits);

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const when = (ms: number) => dateTime.format(new Date(ms));

/** "3 min ago" for recent times, the date otherwise. */
export function ago(ms: number, now = Date.now()): string {
  const seconds = Math.round((now - ms) / 1000);
  if (seconds < 0 || seconds >= 86_400) return when(ms);
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${Math.floor(seconds / 3600)} h ago`;
}
