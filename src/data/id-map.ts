/**
 * A two-way map between external string ids and dense indices 0..size-1, in order of first sight.
 *
 * @example
 * const users = new IdMap();
 * users.intern('alice'); // 0
 * users.idOf(0);         // 'alice'
 */
export class IdMap {
  private readonly indexById = new Map<string, number>();
  private readonly idByIndex: string[] = [];

  static from(ids: Iterable<string>): IdMap {
    const map = new IdMap();
    for (const id of ids) map.intern(id);
    return map;
  }

  get size(): number {
    return this.idByIndex.length;
  }

  /** The index of `id`, adding it when new. */
  intern(id: string): number {
    let index = this.indexById.get(id);
    if (index === undefined) {
      index = this.idByIndex.length;
      this.indexById.set(id, index);
      this.idByIndex.push(id);
    }
    return index;
  }

  /** The index of `id`, or -1 when unknown. */
  indexOf(id: string): number {
    return this.indexById.get(id) ?? -1;
  }

  idOf(index: number): string {
    const id = this.idByIndex[index];
    if (id === undefined) throw new RangeError(`no id at index ${index} (size ${this.size})`);
    return id;
  }

  ids(): readonly string[] {
    return this.idByIndex;
  }
}
