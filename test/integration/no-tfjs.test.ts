import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;

/** What serving a saved model loads: the model loader and every family's inference + config modules. */
const SERVING_ROOTS = [
  'models/neural/recommender.ts',
  'models/neural/pretrained.ts',
  'models/neural/families.ts',
  'models/sasrec/inference.ts',
  'models/sasrec/config.ts',
  'models/rnn/inference.ts',
  'models/rnn/config.ts',
  'models/fusion/inference.ts',
  'models/fusion/config.ts',
  'models/facets/inference.ts',
  'models/facets/config.ts',
].map((path) => resolve(SRC, path));

/** Value imports (not `import type`, not dynamic `import()`), resolved to files; bare packages as is. */
function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/^(?:import|export)\s+(?!type\s)[^'"]*?from\s+'([^']+)'/gm)].map(
    (m) => m[1],
  );
  return specifiers.map((s) => (s.startsWith('.') ? resolve(dirname(file), s.replace(/\.js$/, '.ts')) : s));
}

function reachable(roots: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    if (next.endsWith('.ts')) stack.push(...staticImports(next));
  }
  return seen;
}

describe('serving a saved model', () => {
  it('loads no tfjs and no training code', () => {
    const loaded = [...reachable(SERVING_ROOTS)];
    expect(loaded.length).toBeGreaterThan(SERVING_ROOTS.length);
    expect(loaded.filter((m) => m.startsWith('@tensorflow'))).toEqual([]);
    expect(
      loaded.filter(
        (m) => m.includes('/src/training/') || (m.endsWith('/network.ts') && !m.includes('/neural/')),
      ),
    ).toEqual([]);
  });

  it('the check would notice tfjs (the training side does load it)', () => {
    const training = [...reachable([resolve(SRC, 'training/trainer.ts')])];
    expect(training).toContain('@tensorflow/tfjs');
  });
});
