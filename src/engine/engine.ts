/**
 * The online engine: events are logged (durably) and folded into each user's state at once; every
 * request scores from the current state. State updates run one at a time in arrival order, so the
 * in-memory states always equal a replay of the log. A model swap builds a new generation (model,
 * catalogue, states) aside and replaces the current one in a single assignment, so requests never
 * see a half-built model.
 */
import { TideError } from '../core/errors.js';
import type { Event, Item, ItemId, UserId } from '../core/types.js';
import type { AppendResult, DeletionReport, LoggedEvent, Store } from '../storage/ports.js';
import { loggedEvent } from '../storage/records.js';
import { validateEvents } from '../storage/validation.js';
import { Catalog } from './catalog.js';
import { categoryMass } from './category-mass.js';
import { inTimeOrder, interestHistory } from './history.js';
import { CategoryLookup } from './interest-mixture.js';
import { Popularity } from './popularity.js';
import { rankCatalog } from './rank.js';
import { buildRetrieval, type Retrieval, type RetrievalOptions } from './retrieval.js';
import type { ServingModel } from './serving-model.js';
import { decodeState, encodeState } from './state-codec.js';
import { TextMatrix } from './text-matrix.js';
import type { InterestsView, RecommendOptions, RecommendResult } from './types.js';
import { UserState } from './user-state.js';

/** What the engine needs of a text encoder (src/text's TextEncoder fits). */
export interface TextEmbedder {
  readonly id: string;
  readonly dim: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

export interface EngineOptions {
  store: Store;
  model: ServingModel | null;
  text?: { encoder: TextEmbedder; itemText: (item: Item) => string } | null;
  /** w in score = behaviour + w · text similarity (0 = behaviour only; tune it on validation). */
  textWeight?: number;
  /** Dirty states are written to the StateStore this often (ms); they are derived, so a crash loses nothing. */
  flushIntervalMs?: number;
  /**
   * Candidate retrieval for large catalogues (by default from 50,000 items: HNSW over the model's
   * item vectors, and over item texts when there is a text encoder). Smaller ones are scored whole.
   */
  retrieval?: RetrievalOptions;
  /**
   * User states kept in memory at most (least recently used evicted first; an evicted user is
   * rebuilt from its saved state and the log on the next request). Default 100,000.
   */
  maxCachedUsers?: number;
  /**
   * An event about an item neither the catalogue nor the model knows: `create` (the default) adds a
   * bare catalogue item for it (id only: it can be recommended by popularity until its data comes
   * with PUT /items), `reject` refuses the whole batch naming the event.
   */
  unknownItems?: 'create' | 'reject';
  /**
   * For a store other servers append to (Postgres): every read first catches its user up with the
   * log (so an event posted to any server shows in every server's next answer), and every this many
   * ms the events others appended are folded into popularity, the trend and the states held here.
   * Off (0) by default: a server alone on its store sees every event it logs.
   */
  followLogMs?: number;
  /** Called with the events others appended, as they are folded in (the dashboard's live stream). */
  onFollowed?: (events: readonly LoggedEvent[]) => void;
}

const DEFAULT_MAX_CACHED_USERS = 100_000;

interface Generation {
  model: ServingModel | null;
  catalog: Catalog;
  texts: TextMatrix | null;
  /** Null when the catalogue is scored whole. */
  retrieval: Retrieval | null;
  states: Map<UserId, UserState>;
  /** The last log sequence number folded into the model's trend (its time head's). */
  trendSeq: number;
}

const SCAN_PAGE = 10_000;
/** States encoded and written per slice of a flush. */
const FLUSH_SLICE = 500;

export class Engine {
  private generation: Generation;
  private readonly popularity = new Popularity();
  private readonly dirty = new Set<UserId>();
  /** States dropped from memory by the cache budget since start. */
  private evictions = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** The last log sequence number counted in popularity and folded into the states. */
  private foldedSeq = 0;
  /** Batches logged and not folded yet, by first sequence number. */
  private readonly unfolded = new Map<number, { lastSeq: number; events: LoggedEvent[] }>();
  private flushTimer: NodeJS.Timeout | null = null;
  private followTimer: NodeJS.Timeout | null = null;
  /** While a swap builds the next generation: the items upserted meanwhile, for it too. */
  private upsertsDuringSwap: { items: readonly Item[]; vectors: Float32Array[] | null }[] | null = null;
  private closed = false;

  private constructor(private readonly options: EngineOptions) {
    this.generation = {
      model: null,
      catalog: new Catalog(null),
      texts: null,
      retrieval: null,
      states: new Map(),
      trendSeq: 0,
    };
  }

  /**
   * Opens an engine over a store: loads the catalogue (embedding item texts when a text encoder is
   * given) and the popularity counts from the event log. User states load lazily.
   *
   * @example
   * const engine = await Engine.open({ store: await openStore('sqlite://./tide.db'), model: await openServingModel(dir) });
   * await engine.ingest([{ userId: 'u1', itemId: '42', type: 'click' }]);
   * const { items } = await engine.recommend('u1', { k: 10 });
   */
  static async open(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options);
    engine.generation = await engine.buildGeneration(options.model);
    await engine.scanLog(0, (event) => {
      engine.popularity.add(event.itemId);
      observeTrend(engine.generation, event, 1);
      engine.foldedSeq = event.seq;
    });
    const interval = options.flushIntervalMs ?? 1000;
    engine.flushTimer = setInterval(() => void engine.flush().catch(() => undefined), interval);
    engine.flushTimer.unref();
    if (options.followLogMs) {
      engine.followTimer = setInterval(
        () => void engine.followLog().catch(() => undefined),
        options.followLogMs,
      );
      engine.followTimer.unref();
    }
    return engine;
  }

  get model(): ServingModel | null {
    return this.generation.model;
  }

  get textWeight(): number {
    return this.options.textWeight ?? 0;
  }

  /**
   * Logs events (durable once this resolves) and folds them into their users' states: the window or
   * recurrent state is updated at once; the user vector is recomputed once, on the next read.
   * Appends from concurrent calls proceed together (a SQLite store commits them as one); folding
   * runs one call at a time, in log order, so the states always equal a replay of the log.
   */
  async ingest(
    events: readonly Event[],
    options: { idempotencyKey?: string } = {},
  ): Promise<AppendResult & { logged: readonly Event[] }> {
    this.assertOpen();
    validateEvents(events);
    // an event's item exists before the event is logged, so a fold never meets an item it lacks
    if (this.unknownItems(events).length > 0) await this.serially(() => this.admitUnknownItems(events));
    // timed here, so that the copy kept for folding equals what the log holds
    const receivedAt = Date.now();
    const timed = events.map((event) =>
      event.timestamp === undefined ? { ...event, timestamp: receivedAt } : event,
    );
    const appended = await this.options.store.events.append(timed, options);
    // the events as logged: those without a time carry the one stamped here
    const result = { ...appended, logged: timed };
    if (result.count === 0) return result;
    if (!result.replayed && result.firstSeq > this.foldedSeq) {
      const logged = timed.map((event, n) => loggedEvent(result.firstSeq + n, event, receivedAt));
      this.unfolded.set(result.firstSeq, { lastSeq: result.lastSeq, events: logged });
    }
    // a replay too: the first request with this key may not have folded its events yet
    await this.serially(() => this.foldUpTo(result.lastSeq));
    return result;
  }

  /** Applies the `unknownItems` policy to the items of `events` that are still unknown. */
  private async admitUnknownItems(events: readonly Event[]): Promise<void> {
    const unknown = this.unknownItems(events);
    if (unknown.length === 0) return;
    if (this.options.unknownItems === 'reject') {
      const at = events.findIndex((event) => event.itemId === unknown[0]);
      throw new TideError(
        'INVALID_INPUT',
        `events[${at}].itemId: ${JSON.stringify(unknown[0])} is not in the catalogue (unknown items are refused)`,
        { file: 'events', field: `events[${at}].itemId` },
      );
    }
    await this.createBareItems(unknown);
  }

  /**
   * Folds every logged event up to `seq` that is not folded yet (those of other calls that
   * committed first included) into popularity, the trend and the users' states.
   */
  private async foldUpTo(seq: number): Promise<void> {
    const generation = this.generation;
    while (this.foldedSeq < seq) {
      // the batch that comes next as its ingest kept it, else (appended elsewhere) from the log
      const kept = this.unfolded.get(this.foldedSeq + 1);
      this.unfolded.delete(this.foldedSeq + 1);
      const page =
        kept?.events ??
        (await this.options.store.events.scan(this.foldedSeq, Math.min(SCAN_PAGE, seq - this.foldedSeq)));
      const last = kept?.lastSeq ?? page.at(-1)?.seq;
      if (last === undefined) break;
      if (!kept) this.options.onFollowed?.(page);
      for (const event of page) {
        this.popularity.add(event.itemId);
        observeTrend(generation, event, 1);
        // events this engine appended load their user; others' only update a state held here
        const state = kept
          ? await this.stateOf(generation, event.userId, false)
          : generation.states.get(event.userId);
        if (!state) continue;
        // a state loaded now from the log already holds the event
        if (event.seq > state.appliedSeq) state.apply(event, generation.catalog);
        this.dirty.add(state.userId);
      }
      this.foldedSeq = last;
    }
    this.foldedSeq = Math.max(this.foldedSeq, seq);
    // batches a read of the log folded already
    for (const firstSeq of this.unfolded.keys())
      if (firstSeq <= this.foldedSeq) this.unfolded.delete(firstSeq);
  }

  /** Folds what other servers appended to the shared log since the last fold (see `followLogMs`). */
  async followLog(): Promise<void> {
    this.assertOpen();
    const last = await this.options.store.events.lastSeq();
    if (last > this.foldedSeq) await this.serially(() => this.foldUpTo(last));
  }

  /** Distinct item ids of `events` that neither the catalogue nor the model knows. */
  private unknownItems(events: readonly Event[]): ItemId[] {
    const { catalog } = this.generation;
    const unknown = new Set<ItemId>();
    for (const event of events) if (catalog.indexOf(event.itemId) === undefined) unknown.add(event.itemId);
    return [...unknown];
  }

  /** Catalogue items with an id only, for the items events named first (no text to embed). */
  private async createBareItems(itemIds: readonly ItemId[]): Promise<void> {
    const items = itemIds.map((itemId) => ({ itemId }));
    await this.options.store.items.put(items);
    place(this.generation, items, null);
    this.upsertsDuringSwap?.push({ items, vectors: null });
  }

  /** Adds or replaces catalogue items; a new item with text can be recommended at once. */
  async upsertItems(items: readonly Item[]): Promise<void> {
    this.assertOpen();
    await this.options.store.items.put(items);
    const vectors = await this.embedItems(items);
    await this.serially(async () => {
      place(this.generation, items, vectors);
      this.upsertsDuringSwap?.push({ items, vectors });
    });
  }

  /** The top items for a user, with reasons; a user with no events gets popular items. */
  async recommend(userId: UserId, options: RecommendOptions = {}): Promise<RecommendResult> {
    this.assertOpen();
    const generation = this.generation;
    const state = await this.serially(() => this.stateOf(generation, userId));
    const userVector = state.refresh(generation.catalog);
    return this.rank(generation, state, userVector, state.textInterest, options);
  }

  /** Items for a sentence ("space operas, but lighter"), optionally blended with a user's behaviour. */
  async recommendForText(text: string, options: RecommendOptions & { userId?: UserId } = {}) {
    this.assertOpen();
    const encoder = this.options.text?.encoder;
    if (!encoder) throw new TideError('CONFIG', 'text queries need a text encoder (--encoder)');
    const [query] = await encoder.embed([text]);
    const generation = this.generation;
    const state = options.userId
      ? await this.serially(() => this.stateOf(generation, options.userId!))
      : null;
    const userVector = state?.refresh(generation.catalog) ?? null;
    const textOnly = { ...options, excludeSeen: state ? options.excludeSeen : [] };
    return this.rank(generation, state, userVector, query, textOnly, Math.max(this.textWeight, 1));
  }

  /** The user's interests now (facets, a, category shares) and their history over time. */
  async interests(userId: UserId, historyPoints = 30): Promise<InterestsView> {
    this.assertOpen();
    const generation = this.generation;
    const state = await this.serially(() => this.stateOf(generation, userId));
    const { catalog, model } = generation;
    const userVector = state.refresh(catalog);
    const facets = userVector ? (state.facets ?? []) : [];
    const categories: InterestsView['categories'] = [];
    const events = inTimeOrder(await this.options.store.events.readUser(userId));
    const lookup = model?.categories ? new CategoryLookup(catalog, model.categories) : null;
    const followed = lookup && interestHistory(events, catalog, lookup, historyPoints);
    if (model?.categories && lookup && followed) {
      // the change-point mixture of the user's events, with the category mass of the model's served
      // next-item distribution as its prior (the catalogue's category shares for a user the model
      // knows no item of): it follows a switch of interest within a few events and holds through a
      // stray one (the drift section of BENCHMARKS.md)
      const mass = new Float32Array(model.categories.length);
      if (userVector) {
        const scores = new Float32Array(model.itemIds.length);
        model.score(userVector, scores);
        model.timeHead?.adjust(state.latestModelEventAt(), Date.now(), scores);
        categoryMass(scores, catalog.items, model.categories, mass);
      } else mass.set(lookup.prior);
      const distribution = new Float32Array(model.categories.length);
      if (events.length > 0) {
        followed.shift.estimate(mass, distribution);
        model.categories.forEach((name, c) => void categories.push({ name, probability: distribution[c] }));
        categories.sort((x, y) => y.probability - x.probability);
      }
    }
    return {
      userId,
      events: state.events,
      lastEventAt: state.lastAt,
      ...(state.diagnostics.a !== undefined && {
        shortTermShare: state.diagnostics.a,
        a: state.diagnostics.a,
      }),
      facets: facets.map(({ label, weight, categories: top, latest }) => ({
        label,
        weight,
        categories: top,
        latest,
      })),
      categories,
      history: followed?.history ?? [],
      recentItems: state.recent
        .slice()
        .reverse()
        .map((e) => ({
          itemId: catalog.ids[e.index],
          title: catalog.items[e.index]?.title,
          type: e.type,
          at: e.at,
        })),
    };
  }

  /** Deletes everything held about a user: events, states, snapshots, and the cached state. */
  async deleteUser(userId: UserId): Promise<DeletionReport> {
    this.assertOpen();
    return this.serially(async () => {
      for (const event of await this.options.store.events.readUser(userId)) {
        // logged but not folded yet (its ingest is still on its way): it was never counted
        if (event.seq > this.foldedSeq) continue;
        this.popularity.remove(event.itemId);
        observeTrend(this.generation, event, -1);
      }
      // nor will it be: a batch logged before the deletion and not folded yet loses its events
      for (const batch of this.unfolded.values())
        batch.events = batch.events.filter((event) => event.userId !== userId);
      this.generation.states.delete(userId);
      this.dirty.delete(userId);
      return this.options.store.deleteUser(userId);
    });
  }

  /**
   * Serves a new model without dropping requests: the new generation (with its item index, built
   * on a worker thread or loaded) is built and the users cached now are rebuilt from the log aside;
   * then one assignment makes it current. One swap at a time: a second one meanwhile is refused.
   */
  async swapModel(model: ServingModel): Promise<void> {
    this.assertOpen();
    if (this.upsertsDuringSwap) throw new TideError('CONFIG', 'a model swap is already under way');
    this.upsertsDuringSwap = [];
    try {
      const next = await this.buildGeneration(model);
      if (model.timeHead) await this.scanLog(0, (event) => observeTrend(next, event, 1));
      const users = [...this.generation.states.keys()];
      for (const userId of users) await this.serially(() => this.stateOf(next, userId));
      await this.serially(async () => {
        // items upserted after the new catalogue was read, and events that arrived during the rebuild
        for (const { items, vectors } of this.upsertsDuringSwap!) place(next, items, vectors);
        for (const userId of users) await this.catchUp(next, next.states.get(userId)!);
        if (model.timeHead) await this.scanLog(next.trendSeq, (event) => observeTrend(next, event, 1));
        await this.flush();
        this.generation = next;
      });
    } finally {
      this.upsertsDuringSwap = null;
    }
  }

  /** Writes dirty states to the StateStore. */
  async flush(): Promise<void> {
    const { model, states, catalog } = this.generation;
    if (!model || this.dirty.size === 0) return;
    const users = [...this.dirty];
    this.dirty.clear();
    // in slices, the event loop served between them: thousands of states encoded at once would
    // stall every request for the time it takes
    for (let at = 0; at < users.length; at += FLUSH_SLICE) {
      if (at > 0) await new Promise((resolve) => setImmediate(resolve));
      const records = users.slice(at, at + FLUSH_SLICE).flatMap((userId) => {
        const state = states.get(userId);
        if (!state) return [];
        const record = { userId, modelId: model.id, appliedSeq: state.appliedSeq, updatedAt: Date.now() };
        return [{ ...record, state: encodeState(state, catalog) }];
      });
      await this.options.store.states.put(records);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.flushTimer) clearInterval(this.flushTimer);
    if (this.followTimer) clearInterval(this.followTimer);
    await this.queue.catch(() => undefined);
    await this.flush();
    this.closed = true;
  }

  /** How candidates are found: null when every item is scored, else the index and where it came from. */
  get retrievalSummary(): string | null {
    const behaviour = this.generation.retrieval?.behaviour;
    return behaviour ? `${behaviour.size} items in an ${behaviour.origin}` : null;
  }

  /** Figures for /metrics. */
  stats() {
    return {
      cachedUsers: this.generation.states.size,
      evictedUsers: this.evictions,
      catalogItems: this.generation.catalog.size,
      dirtyStates: this.dirty.size,
      /** Items in the candidate index (0 when the catalogue is scored whole). */
      indexedItems: this.generation.retrieval?.behaviour?.size ?? 0,
    };
  }

  private rank(
    generation: Generation,
    state: UserState | null,
    userVector: Float32Array | null,
    textVector: Float32Array | null,
    options: RecommendOptions,
    textWeight = this.textWeight,
  ): RecommendResult {
    const { catalog, texts, retrieval, model } = generation;
    const timeHead = userVector && state ? model?.timeHead : null;
    const lastAt = state?.latestModelEventAt() ?? null;
    const now = options.now ?? Date.now();
    const result = rankCatalog({
      catalog,
      texts,
      retrieval,
      state,
      userVector,
      textVector,
      options,
      textWeight,
      popularity: this.popularity,
      adjust: timeHead ? (scores, indices) => timeHead.adjust(lastAt, now, scores, indices) : null,
    });
    return timeHead ? { ...result, trendShare: timeHead.lastTrendShare() } : result;
  }

  /** Calls `visit` for every logged event after sequence number `after`, in log order. */
  private async scanLog(after: number, visit: (event: LoggedEvent) => void): Promise<void> {
    for (let from = after; ; ) {
      const page = await this.options.store.events.scan(from, SCAN_PAGE);
      if (page.length === 0) return;
      for (const event of page) visit(event);
      from = page[page.length - 1].seq;
    }
  }

  /** The cached state, or the stored one caught up with the log, or a replay of the user's log. */
  private async stateOf(generation: Generation, userId: UserId, followOthers = true): Promise<UserState> {
    const cached = generation.states.get(userId);
    if (cached) {
      // most recently used last: the map's order is the eviction order
      generation.states.delete(userId);
      generation.states.set(userId, cached);
      if (followOthers && this.options.followLogMs) {
        // other servers append to the same log: what they logged for this user since
        const before = cached.appliedSeq;
        await this.catchUp(generation, cached);
        if (cached.appliedSeq > before) this.dirty.add(userId);
      }
      return cached;
    }
    const { model, catalog } = generation;
    const record = model ? await this.options.store.states.get(userId, model.id) : undefined;
    const state = (record && decodeState(userId, record.state, catalog)) || new UserState(userId);
    await this.catchUp(generation, state);
    generation.states.set(userId, state);
    this.evictBeyondBudget(generation);
    return state;
  }

  /**
   * Drops the least recently used states past the budget. States are derived from the log, so an
   * evicted one that was not yet written loses nothing: its next load replays the log from the
   * snapshot before it.
   */
  private evictBeyondBudget(generation: Generation): void {
    const budget = this.options.maxCachedUsers ?? DEFAULT_MAX_CACHED_USERS;
    for (const userId of generation.states.keys()) {
      if (generation.states.size <= budget) break;
      generation.states.delete(userId);
      this.dirty.delete(userId);
      this.evictions++;
    }
  }

  private async catchUp(generation: Generation, state: UserState): Promise<void> {
    const events = await this.options.store.events.readUser(state.userId, { afterSeq: state.appliedSeq });
    for (const event of events) state.apply(event, generation.catalog);
  }

  private async buildGeneration(model: ServingModel | null): Promise<Generation> {
    const catalog = new Catalog(model, this.options.text?.encoder.id ?? null);
    const encoder = this.options.text?.encoder;
    const texts = encoder ? new TextMatrix(encoder.dim, catalog.size + 1) : null;
    for (let after: string | undefined; ; ) {
      const page = await this.options.store.items.list(after, SCAN_PAGE);
      if (page.length === 0) break;
      place({ catalog, texts, retrieval: null }, page, await this.embedItems(page));
      after = page[page.length - 1].itemId;
    }
    const retrieval = await buildRetrieval(catalog, texts, this.options.retrieval ?? {});
    return { model, catalog, texts, retrieval, states: new Map(), trendSeq: 0 };
  }

  private async embedItems(items: readonly Item[]): Promise<Float32Array[] | null> {
    const text = this.options.text;
    if (!text) return null;
    return text.encoder.embed(items.map(text.itemText));
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private assertOpen(): void {
    if (this.closed) throw new TideError('STORAGE', 'the engine is closed');
  }
}

/** Counts an event in the generation's model trend (weight -1 takes it back), for its time head. */
function observeTrend(generation: Generation, event: LoggedEvent, weight: number): void {
  const head = generation.model?.timeHead;
  if (!head || (weight > 0 && event.seq <= generation.trendSeq)) return;
  const index = generation.catalog.indexOf(event.itemId);
  if (index !== undefined && index < generation.catalog.warmCount)
    head.observe(index, event.timestamp, weight);
  if (weight > 0) generation.trendSeq = Math.max(generation.trendSeq, event.seq);
}

/** Puts items into a generation's catalogue, text matrix and indices. */
function place(
  generation: Pick<Generation, 'catalog' | 'texts' | 'retrieval'>,
  items: readonly Item[],
  vectors: Float32Array[] | null,
): void {
  const { catalog, texts, retrieval } = generation;
  items.forEach((item, n) => {
    const index = catalog.upsert(item, vectors?.[n]);
    if (texts && vectors) {
      texts.set(index, vectors[n]);
      retrieval?.text?.set(texts, index);
    }
    if (index >= catalog.warmCount) retrieval?.behaviour?.place(catalog, index);
  });
}
