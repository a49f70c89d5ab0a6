/**
 * The layers of docs/architecture.md, checked on every import in src/: a module imports only from
 * its own folder or from layers below it, statically or with `import()`. Type-only imports are
 * erased at run time and allowed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;

/** Bottom to top, as docs/architecture.md draws them. */
const LAYERS: Readonly<Record<string, number>> = {
  core: 0,
  nn: 1,
  data: 2,
  config: 3,
  text: 3,
  storage: 3,
  models: 4,
  eval: 5,
  training: 6,
  engine: 7,
  server: 8,
  cli: 9,
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

interface Edge {
  from: string;
  to: string;
  kind: 'static' | 'dynamic';
}

function edges(file: string): Edge[] {
  const source = readFileSync(file, 'utf8');
  const found: Edge[] = [];
  const pattern = /^(?:import|export)\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/gm;
  for (const match of source.matchAll(pattern)) {
    if (match[1]) continue; // import type: erased
    const spec = match[2] ?? match[3];
    const to = relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts');
    found.push({ from: relative(SRC, file), to, kind: match[3] ? 'dynamic' : 'static' });
  }
  return found;
}

const layerOf = (path: string) => LAYERS[path.split('/')[0]];

/** Every module's imports, type-only ones too, as paths relative to src/. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pattern = /^(?:import|export)\s+(?:type\s+)?[^'"]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/gm;
  for (const file of sources(SRC)) {
    const targets = [...readFileSync(file, 'utf8').matchAll(pattern)].map((match) =>
      relative(SRC, resolve(dirname(file), match[1] ?? match[2])).replace(/\.js$/, '.ts'),
    );
    graph.set(relative(SRC, file), targets);
  }
  return graph;
}

/** The first cycle found (a path that comes back to its start), or null. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done' || !graph.has(node)) return null;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

/** The edges that go against the layers. */
function violations(all: readonly Edge[]): Edge[] {
  return all.filter(({ from, to }) => {
    const [a, b] = [layerOf(from), layerOf(to)];
    if (a === undefined || b === undefined) return false; // index.ts, the package's entry
    return b > a || (b === a && from.split('/')[0] !== to.split('/')[0]);
  });
}

describe('layers', () => {
  it('no module imports from a layer above its own, nor from a sibling layer', () => {
    const all = sources(SRC).flatMap(edges);
    expect(all.length).toBeGreaterThan(500);
    expect(violations(all)).toEqual([]);
  });

  it('no import cycle, type-only imports included', () => {
    expect(findCycle(importGraph())).toBeNull();
    const looped = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
    ]);
    expect(findCycle(looped)).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  });

  it('the client (src/client, for browsers too) loads nothing of Tide at run time: types only', () => {
    expect(sources(join(SRC, 'client')).flatMap(edges)).toEqual([]);
  });

  it('would notice an import against the layers, static or dynamic', () => {
    const upward: Edge = { from: 'models/pop/index.ts', to: 'training/config.ts', kind: 'static' };
    const sideways: Edge = { from: 'text/encoder.ts', to: 'storage/ports.ts', kind: 'static' };
    const dynamicTrainer: Edge = {
      from: 'models/neural/recommender.ts',
      to: 'training/trainer.ts',
      kind: 'dynamic',
    };
    const downward: Edge = {
      from: 'training/neural-trainer.ts',
      to: 'models/neural/recommender.ts',
      kind: 'static',
    };
    expect(violations([upward, sideways, dynamicTrainer, downward])).toEqual([
      upward,
      sideways,
      dynamicTrainer,
    ]);
  });
});
