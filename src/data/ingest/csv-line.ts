import { type InputLocation, invalidField } from '../../core/errors.js';

const QUOTE = 34; // "

/**
 * Splits one CSV line into fields (RFC 4180): fields may be quoted, a quote inside a quoted field
 * is doubled (`""`), and a quoted field may contain the delimiter. The delimiter may be any
 * non-empty string: `,` (default), `\t`, `;`, `::`... A quote inside an unquoted field is kept
 * as a plain character; fields are not trimmed.
 *
 * **Quoted fields spanning several lines are not supported**: the reader hands over one line at
 * a time, so an opening quote without a closing one on the same line is rejected with
 * `file:line: unterminated quoted field (quoted fields spanning lines are not supported)`.
 * Text after a closing quote other than the delimiter is rejected too.
 *
 * @example
 * parseCsvLine('7789,"11\'09""01 - September 11 (2002)",Drama');
 * // -> ['7789', '11\'09"01 - September 11 (2002)', 'Drama']
 * parseCsvLine('1::Toy Story (1995)::Comedy', '::'); // -> ['1', 'Toy Story (1995)', 'Comedy']
 */
export function parseCsvLine(text: string, delimiter = ',', at: InputLocation = { file: '<csv>' }): string[] {
  if (delimiter.length === 0) throw new Error('CSV delimiter must not be empty');
  // Fast path: no quotes at all, a plain split is exact.
  if (text.indexOf('"') === -1) return text.split(delimiter);
  const fields: string[] = [];
  let pos = 0;
  for (;;) {
    if (text.charCodeAt(pos) === QUOTE) {
      let value = '';
      let from = pos + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close === -1) {
          throw invalidField(
            at,
            'unterminated quoted field (quoted fields spanning lines are not supported)',
          );
        }
        value += text.slice(from, close);
        if (text.charCodeAt(close + 1) === QUOTE) {
          value += '"';
          from = close + 2;
          continue;
        }
        pos = close + 1;
        break;
      }
      fields.push(value);
      if (pos === text.length) return fields;
      if (!text.startsWith(delimiter, pos)) {
        throw invalidField(at, `unexpected text after a closing quote at column ${pos + 1}`);
      }
      pos += delimiter.length;
      continue;
    }
    const next = text.indexOf(delimiter, pos);
    if (next === -1) {
      fields.push(text.slice(pos));
      return fields;
    }
    fields.push(text.slice(pos, next));
    pos = next + delimiter.length;
  }
}
