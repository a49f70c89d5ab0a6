/** The one error type Tide throws. `server/` maps codes to HTTP statuses; the CLI prints the message. */
export type TideErrorCode = 'INVALID_INPUT' | 'NOT_FOUND' | 'NOT_TRAINED' | 'STORAGE' | 'CONFIG';

/** Where in an input file a problem sits; every message about bad input names it. */
export interface InputLocation {
  file: string;
  line?: number;
  field?: string;
}

export class TideError extends Error {
  override readonly name = 'TideError';
  constructor(
    readonly code: TideErrorCode,
    message: string,
    readonly location?: InputLocation,
    opts?: { cause?: unknown },
  ) {
    super(message, opts);
  }
}

/**
 * Builds the error for one bad field of one input row, worded as
 * `u.data:1834: timestamp "abc" is not a number`.
 *
 * @example
 * throw invalidField({ file: 'u.data', line: 1834, field: 'timestamp' }, '"abc" is not a number');
 */
export function invalidField(location: InputLocation, problem: string): TideError {
  const where = location.line === undefined ? location.file : `${location.file}:${location.line}`;
  const what = location.field ? `${location.field} ${problem}` : problem;
  return new TideError('INVALID_INPUT', `${where}: ${what}`, location);
}
