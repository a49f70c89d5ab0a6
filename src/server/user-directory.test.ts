import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../storage/memory/index.js';
import { UserDirectory } from './user-directory.js';

describe('UserDirectory', () => {
  it('lists users most recently active first, and keeps only the newest up to its bound', async () => {
    const store = createMemoryStore('memory://');
    const directory = new UserDirectory(store.events, 3);
    const click = (userId: string, timestamp: number) => ({
      userId,
      itemId: 'i',
      type: 'click' as const,
      timestamp,
    });
    await store.events.append([
      click('a', 1e12),
      click('b', 1e12 + 1),
      click('c', 1e12 + 2),
      click('a', 1e12 + 3),
    ]);
    expect((await directory.recent(10)).join()).toBe('a,c,b');
    // two new users push the least recently active ones out
    await store.events.append([click('d', 1e12 + 4), click('e', 1e12 + 5)]);
    const { users, total } = await directory.search('', 10);
    expect(users.map((u) => u.userId).join()).toBe('e,d,a');
    expect(total).toBe(3);
    expect(users.find((u) => u.userId === 'a')).toEqual({ userId: 'a', events: 2, lastEventAt: 1e12 + 3 });
    // a deletion is still noticed (the log shrank): the list is rebuilt, without the deleted user
    await store.deleteUser('d');
    expect((await directory.recent(10)).join()).toBe('e,a,c');
    await store.close();
  });
});
