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
