/**
 * The k best (id, score) pairs seen so far, in a binary min-heap keyed on (score, −id): the root is the
 * worst kept pair, so a candidate costs one comparison unless it enters. Ties go to the lower id.
 *
 * @example
 * const top = new TopK(10);
 * if (top.accepts(score, id)) top.push(score, id);
 * const { ids, scores } = top.sorted(); // best first
 */
export class TopK {
  private readonly heapIds: Int32Array;
  private readonly heapScores: Float64Array;
  private count = 0;

  constructor(readonly k: number) {
    this.heapIds = new Int32Array(k);
    this.heapScores = new Float64Array(k);
  }

  get size(): number {
    return this.count;
  }

  /** The score a candidate must at least reach to be kept: −∞ until the heap is full. */
  get floor(): number {
    return this.count < this.k ? Number.NEGATIVE_INFINITY : this.heapScores[0];
  }

  /** Whether (score, id) would be kept: the heap has room, or it beats the worst kept pair. */
  accepts(score: number, id: number): boolean {
    if (this.count < this.k) return this.k > 0;
    const worst = this.heapScores[0];
    return score > worst || (score === worst && id < this.heapIds[0]);
  }

  /** Keeps (score, id), evicting the worst pair when full; call only after `accepts` said yes. */
  push(score: number, id: number): void {
    if (this.count < this.k) {
      let child = this.count++;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if (!this.worse(score, id, this.heapScores[parent], this.heapIds[parent])) break;
        this.heapScores[child] = this.heapScores[parent];
        this.heapIds[child] = this.heapIds[parent];
        child = parent;
      }
      this.heapScores[child] = score;
      this.heapIds[child] = id;
      return;
    }
    this.siftDown(score, id, this.count);
  }

  /** The kept pairs, best first; the heap is emptied. */
  sorted(): { ids: Int32Array; scores: Float32Array } {
    const n = this.count;
    const ids = new Int32Array(n);
    const scores = new Float32Array(n);
    // Pop the worst into the back slot until the heap is empty: a heap sort, best first.
    for (let slot = n - 1; slot >= 0; slot--) {
      ids[slot] = this.heapIds[0];
      scores[slot] = this.heapScores[0];
      this.count--;
      if (this.count > 0) this.siftDown(this.heapScores[this.count], this.heapIds[this.count], this.count);
    }
    return { ids, scores };
  }

  /** Puts (score, id) at the root and sinks it within the first `n` slots. */
  private siftDown(score: number, id: number, n: number): void {
    let parent = 0;
    for (;;) {
      let child = 2 * parent + 1;
      if (child >= n) break;
      const right = child + 1;
      if (
        right < n &&
        this.worse(this.heapScores[right], this.heapIds[right], this.heapScores[child], this.heapIds[child])
      )
        child = right;
      if (!this.worse(this.heapScores[child], this.heapIds[child], score, id)) break;
      this.heapScores[parent] = this.heapScores[child];
      this.heapIds[parent] = this.heapIds[child];
      parent = child;
    }
    this.heapScores[parent] = score;
    this.heapIds[parent] = id;
  }

  private worse(scoreA: number, idA: number, scoreB: number, idB: number): boolean {
    return scoreA < scoreB || (scoreA === scoreB && idA > idB);
  }
}
