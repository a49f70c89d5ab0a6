import type { Rng } from '../../core/random.js';
import { cumulativeSums, zipfWeights } from '../../core/random.js';
import type { Item } from '../../core/types.js';
import type { WorldConfig } from './config.js';
import type { TopicSpec } from './topics.js';

/** Episode k+1 of a series is this much less likely than episode k to be picked by popularity. */
const EPISODE_POPULARITY_DECAY = 0.75;
const SERIES_LENGTH = { min: 2, max: 6 } as const;
const TAGS = ['new release', 'classic', 'beginner friendly', 'award winning', 'deep dive', 'short'] as const;

/**
 * The generated catalogue plus the structure behaviour is drawn from. Items are addressed by their
 * dense index (position in `items`).
 */
export interface Catalog {
  readonly items: Item[];
  /** Topic index of each item. */
  readonly topicOfItem: Int32Array;
  /** Dense index of the next item of the same series, or -1 after the last one. */
  readonly nextInSeries: Int32Array;
  /** Dense item indices of each topic. */
  readonly itemsByTopic: Int32Array[];
  /** Running totals of popularity, aligned with `itemsByTopic` (for `Rng.cumulativeIndex`);
   * popularity is Zipf over the topic's series times a decay per episode. */
  readonly cumulativePopularityByTopic: Float64Array[];
}

interface DraftItem {
  topicIndex: number;
  series: string;
  episode: number;
  seriesRank: number;
  /** Position of the previous episode's draft, or -1 for a first episode. */
  previousDraft: number;
}

/** Builds `config.items` items spread evenly over the topics, grouped into series of 2-6 episodes. */
export function buildCatalog(rng: Rng, topics: readonly TopicSpec[], config: WorldConfig): Catalog {
  const drafts: DraftItem[] = [];
  topics.forEach((topic, topicIndex) => {
    const count =
      Math.floor(config.items / topics.length) + (topicIndex < config.items % topics.length ? 1 : 0);
    const seriesNames = seriesNameSource(rng, topic);
    for (let made = 0, seriesRank = 0; made < count; seriesRank++) {
      const length = Math.min(rng.int(SERIES_LENGTH.min, SERIES_LENGTH.max), count - made);
      const series = seriesNames();
      for (let episode = 1; episode <= length; episode++, made++) {
        const previousDraft = episode === 1 ? -1 : drafts.length - 1;
        drafts.push({ topicIndex, series, episode, seriesRank, previousDraft });
      }
    }
  });

  // Ids are handed out in shuffled order so that neighbouring ids do not share a topic.
  const order = rng.shuffle(drafts.map((_, draftIndex) => draftIndex));
  const denseOfDraft = new Int32Array(drafts.length);
  order.forEach((draftIndex, dense) => {
    denseOfDraft[draftIndex] = dense;
  });
  const idWidth = Math.max(4, String(drafts.length).length);
  const items: Item[] = [];
  const topicOfItem = new Int32Array(drafts.length);
  const nextInSeries = new Int32Array(drafts.length).fill(-1);
  order.forEach((draftIndex, dense) => {
    const draft = drafts[draftIndex];
    const itemId = `i${String(dense + 1).padStart(idWidth, '0')}`;
    items.push(composeItem(rng, itemId, topics[draft.topicIndex], draft));
    topicOfItem[dense] = draft.topicIndex;
    if (draft.previousDraft >= 0) nextInSeries[denseOfDraft[draft.previousDraft]] = dense;
  });

  const itemsByTopic = topics.map(() => [] as number[]);
  for (let dense = 0; dense < items.length; dense++) itemsByTopic[topicOfItem[dense]].push(dense);
  const seriesWeights = zipfWeights(drafts.length, config.popularitySkew);
  const cumulativePopularityByTopic = itemsByTopic.map((members) =>
    cumulativeSums(
      members.map((dense) => {
        const draft = drafts[order[dense]];
        return seriesWeights[draft.seriesRank] * EPISODE_POPULARITY_DECAY ** (draft.episode - 1);
      }),
    ),
  );
  return {
    items,
    topicOfItem,
    nextInSeries,
    itemsByTopic: itemsByTopic.map((members) => Int32Array.from(members)),
    cumulativePopularityByTopic,
  };
}

/** Distinct series names for one topic, in a seeded order; numbered once every pair is used. */
function seriesNameSource(rng: Rng, topic: TopicSpec): () => string {
  const pairs: string[] = [];
  for (const first of topic.seriesFirstWords) {
    for (const second of topic.seriesSecondWords) pairs.push(`${first} ${second}`);
  }
  const shuffled = rng.shuffle(pairs);
  let used = 0;
  return () => {
    const round = Math.floor(used / shuffled.length);
    const name = shuffled[used % shuffled.length];
    used++;
    return round === 0 ? name : `${name} ${round + 1}`;
  };
}

/**
 * Title `Starlight Frontier, Episode 2`; text
 * `A rogue android crosses a dying star. Episode 2 of Starlight Frontier, a space opera series.`
 */
function composeItem(rng: Rng, itemId: string, topic: TopicSpec, draft: DraftItem): Item {
  const plot = `${capitalise(rng.pick(topic.subjects))} ${rng.pick(topic.actions)} ${rng.pick(topic.objects)}.`;
  const kind = `${topic.name} ${topic.seriesKind}`;
  const place = `${topic.unit} ${draft.episode} of ${draft.series}, ${indefiniteArticle(kind)} ${kind}.`;
  const price = Math.max(0.49, Math.round(topic.basePrice * (0.6 + 0.8 * rng.next())) - 0.01);
  return {
    itemId,
    title: `${draft.series}, ${topic.unit} ${draft.episode}`,
    text: `${plot} ${place}`,
    categories: [topic.name],
    attributes: {
      series: draft.series,
      episode: draft.episode,
      price: Math.round(price * 100) / 100,
      tag: rng.pick(TAGS),
    },
  };
}

function capitalise(phrase: string): string {
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

function indefiniteArticle(phrase: string): 'a' | 'an' {
  return /^[aeiou]/i.test(phrase) ? 'an' : 'a';
}
