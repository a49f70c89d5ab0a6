import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectTideError, view } from '../../test/contracts/store.js';
import { tempFiles } from '../../test/fixtures/files.js';
import { openStore } from './open.js';

const { dir } = tempFiles('tide-open-');

describe('openStore', () => {
  it('opens memory:// as a fresh empty store each time', async () => {
    const first = await openStore('memory://');
    await first.events.append([view('u1', 'i1')]);
    const second = await openStore('memory://');
    expect([await first.events.count(), await second.events.count()]).toEqual([1, 0]);
    expect(second.url).toBe('memory://');
  });

  it('opens sqlite files by relative or absolute path, and sqlite://:memory:', async () => {
    const absolute = join(dir, 'abs.db');
    const relativeUrl = `sqlite://${relative(process.cwd(), join(dir, 'rel.db'))}`;
    for (const url of [`sqlite://${absolute}`, relativeUrl, 'sqlite://:memory:']) {
      const store = await openStore(url);
      expect(store.url).toBe(url);
      await store.events.append([view('u1', 'i1')]);
      await store.close();
    }
    // The file named by the relative URL is the one written.
    const reopened = await openStore(`sqlite://${join(dir, 'rel.db')}`);
    expect(await reopened.events.count()).toBe(1);
    await reopened.close();
  });

  it.each([
    [
      'redis://localhost:6379',
      'store URL "redis://localhost:6379": unknown scheme "redis" (known schemes: memory://, postgres://, postgresql://, sqlite://)',
    ],
    [
      './tide.db',
      'store URL "./tide.db": expected scheme://location (known schemes: memory://, postgres://, postgresql://, sqlite://)',
    ],
    ['sqlite://', 'store URL "sqlite://": give a file path'],
    ['memory://somewhere', 'store URL "memory://somewhere": memory:// takes no path'],
  ])('refuses %s as a CONFIG error naming the URL', async (url, message) => {
    await expectTideError(openStore(url), 'CONFIG', message);
  });

  it('reports a sqlite file it cannot open as STORAGE naming the path', async () => {
    const path = join(dir, 'missing', 'tide.db');
    await expectTideError(openStore(`sqlite://${path}`), 'STORAGE', path);
  });
});
