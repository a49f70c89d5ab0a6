import { type ParseArgsConfig, parseArgs } from 'node:util';
import { TideError } from '../core/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Typed access to parsed command-line flags, with errors that name the flag. */
export class Flags {
  private constructor(private readonly values: Record<string, string | boolean | undefined>) {}

  static parse(args: string[], options: Options): Flags {
    try {
      const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
      return new Flags(values as Record<string, string | boolean | undefined>);
    } catch (cause) {
      throw new TideError('CONFIG', (cause as Error).message.split('\n')[0], undefined, { cause });
    }
  }

  string(name: string): string | undefined {
    const value = this.values[name];
    return typeof value === 'string' ? value : undefined;
  }

  boolean(name: string): boolean {
    return this.values[name] === true;
  }

  integer(name: string, fallback?: number): number {
    const text = this.string(name);
    if (text === undefined) {
      if (fallback === undefined) throw new TideError('CONFIG', `--${name} is required`);
      return fallback;
    }
    const value = Number(text);
    if (!Number.isInteger(value))
      throw new TideError('CONFIG', `--${name} must be an integer, got "${text}"`);
    return value;
  }

  number(name: string, fallback: number): number {
    const text = this.string(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value)) throw new TideError('CONFIG', `--${name} must be a number, got "${text}"`);
    return value;
  }

  /** A comma-separated list. */
  list(name: string, fallback: string[]): string[] {
    const text = this.string(name);
    return text === undefined
      ? fallback
      : text
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
  }
}

/** `90s`, `30m`, `6h`, `1d` in milliseconds; `flag` names the flag in the error. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(text);
  if (!match || Number(match[1]) <= 0)
    throw new TideError('CONFIG', `${flag} must look like 90s, 30m, 6h or 1d, got "${text}"`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
