import { describe, expect, it } from 'vitest';
import { DEFAULT_TIME_WINDOW, idProblem, timestampProblem } from './event-checks.js';

describe('event checks', () => {
  it('refuses control characters and unpaired surrogates in ids, and nothing else', () => {
    expect(idProblem('u\u0000')).toBe('contains the control character U+0000');
    expect(idProblem('a\nb')).toBe('contains the control character U+000A');
    expect(idProblem('x\u009f')).toBe('contains the control character U+009F');
    expect(idProblem('\ud800')).toBe('contains an unpaired UTF-16 surrogate');
    expect(idProblem('a\udc00b')).toBe('contains an unpaired UTF-16 surrogate');
    for (const ok of ['u1', 'Ünïcödé', 'emoji \ud83c\udfac', 'tab-less id with spaces'])
      expect(idProblem(ok)).toBeNull();
  });

  it('says when a time looks like seconds, is before the window, in the far future or not a number', () => {
    const now = Date.UTC(2026, 11, 7);
    expect(timestampProblem(1_700_000_000, DEFAULT_TIME_WINDOW, now)).toBe(
      '1700000000 looks like Unix seconds (2023-11-14T22:13:20.000Z as seconds); send milliseconds',
    );
    expect(timestampProblem(now + 2 * 86_400_000, DEFAULT_TIME_WINDOW, now)).toContain(
      'is more than 24 h ahead of now',
    );
    expect(timestampProblem(1e300, DEFAULT_TIME_WINDOW, now)).toBe('1e+300 is more than 24 h ahead of now');
    expect(timestampProblem(Number.NaN, DEFAULT_TIME_WINDOW, now)).toBe('NaN is not a finite number');
    const since2000 = { ...DEFAULT_TIME_WINDOW, earliestMs: Date.UTC(2000, 0, 1) };
    expect(timestampProblem(Date.UTC(1999, 0, 1), since2000, now)).toContain(
      'is before 2000-01-01T00:00:00.000Z',
    );
    expect(timestampProblem(now - 1000, DEFAULT_TIME_WINDOW, now)).toBeNull();
    expect(timestampProblem(now + 3_600_000, DEFAULT_TIME_WINDOW, now)).toBeNull();
  });
});
