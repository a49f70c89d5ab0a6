/** When a topic is a little more likely to be chosen (see `context.ts` for the hour windows). */
export type FavouredContext = 'morning' | 'evening' | 'tv';

/** One built-in topic: its name and the words item titles and descriptions are composed from. */
export interface TopicSpec {
  /** Readable name, also the item's category: `space opera`. */
  readonly name: string;
  /** What one item of a series is called: `Episode`, `Recipe`, `Lesson`... */
  readonly unit: string;
  /** What a series is called: `series`, `collection`, `course`... */
  readonly seriesKind: string;
  /** Series names are `first second`, e.g. `Starlight Frontier`. */
  readonly seriesFirstWords: readonly string[];
  readonly seriesSecondWords: readonly string[];
  /** A description reads `<subject> <action> <object>.`, e.g. `A rogue android crosses a dying star.` */
  readonly subjects: readonly string[];
  readonly actions: readonly string[];
  readonly objects: readonly string[];
  /** Typical price; items vary around it. */
  readonly basePrice: number;
  readonly favoured?: FavouredContext;
}

type TopicText = Record<'seriesFirst' | 'seriesSecond' | 'subjects' | 'actions' | 'objects', string>;
type TopicFacts = Pick<TopicSpec, 'name' | 'unit' | 'seriesKind' | 'basePrice' | 'favoured'>;

/** Word lists are written as comma-separated strings to keep them readable here. */
function topic(facts: TopicFacts, text: TopicText): TopicSpec {
  const list = (words: string) => words.split(',').map((word) => word.trim());
  return {
    ...facts,
    seriesFirstWords: list(text.seriesFirst),
    seriesSecondWords: list(text.seriesSecond),
    subjects: list(text.subjects),
    actions: list(text.actions),
    objects: list(text.objects),
  };
}

/**
 * The built-in topics, in the order a world of `topics: n` takes them (the first n).
 *
 * @example
 * BUILTIN_TOPICS.map((t) => t.name).slice(0, 3); // ['space opera', 'home cooking', 'jazz']
 */
export const BUILTIN_TOPICS: readonly TopicSpec[] = [
  topic(
    { name: 'space opera', unit: 'Episode', seriesKind: 'series', basePrice: 3.99, favoured: 'tv' },
    {
      seriesFirst: 'Starlight, Nebula, Iron, Crimson, Void, Solar, Quantum, Silent, Outer, Eclipse',
      seriesSecond: 'Frontier, Armada, Dominion, Exodus, Horizon, Legacy, Covenant, Reach, Drift, Vanguard',
      subjects:
        'a crew of smugglers, an exiled princess, a rogue android, a retired admiral, a young starship pilot, an alien envoy',
      actions: 'crosses, defends, escapes, explores, races across, fights for',
      objects:
        'a rebel galaxy, a dying star, the last free colony, an ancient derelict ship, a hidden wormhole, the imperial fleet',
    },
  ),
  topic(
    { name: 'home cooking', unit: 'Recipe', seriesKind: 'collection', basePrice: 2.99 },
    {
      seriesFirst: "Weeknight, Sunday, Rustic, Golden, Simple, Grandma's, Harvest, Cozy, Farmhouse, Market",
      seriesSecond: 'Kitchen, Table, Suppers, Bakes, Skillet, Pantry, Stews, Feasts, Oven, Plates',
      subjects:
        'a busy parent, a retired chef, a curious student, a home baker, a village cook, a weekend host',
      actions: 'bakes, slow-roasts, simmers, reinvents, prepares, perfects',
      objects:
        'a crusty sourdough loaf, a hearty lentil stew, a lemon garlic chicken, a fresh tomato sauce, a spiced apple pie, a creamy mushroom risotto',
    },
  ),
  topic(
    { name: 'jazz', unit: 'Track', seriesKind: 'album', basePrice: 1.29, favoured: 'evening' },
    {
      seriesFirst: 'Blue, Midnight, Velvet, Smoky, Harlem, Late, Cool, Swing, Moonlit, Bourbon',
      seriesSecond: 'Sessions, Standards, Grooves, Nocturnes, Quartet, Avenue, Ballads, Club, Hours, Notes',
      subjects:
        'a smoky piano trio, a young saxophonist, a big band, a veteran trumpeter, a soulful vocalist, a bebop quartet',
      actions: 'reworks, improvises over, swings through, revives, slows down, records live',
      objects:
        'a forgotten bebop standard, a late-night blues, a Gershwin classic, a bossa nova tune, a modal ballad, a New Orleans march',
    },
  ),
  topic(
    { name: 'football', unit: 'Episode', seriesKind: 'show', basePrice: 4.99, favoured: 'tv' },
    {
      seriesFirst:
        "Derby, Golden, Final, Matchday, Terrace, Champions, Stoppage, Kickoff, Captain's, Underdog",
      seriesSecond: 'Days, Goals, Whistle, Glory, Tactics, Stories, Rivals, Season, Nights, Legends',
      subjects:
        'an underdog club, a veteran striker, a young goalkeeper, a bold manager, a local derby side, a record-breaking captain',
      actions: 'fights for, celebrates, relives, chases, defends, analyses',
      objects:
        'a late winning goal, the league title, a penalty shootout, a cup final upset, a relegation battle, a perfect counterattack',
    },
  ),
  topic(
    { name: 'gardening', unit: 'Guide', seriesKind: 'handbook', basePrice: 2.49, favoured: 'morning' },
    {
      seriesFirst: 'Green, Backyard, Cottage, Urban, Seasonal, Wild, Kitchen, Balcony, Secret, Rooftop',
      seriesSecond: 'Garden, Roots, Blooms, Harvest, Seedlings, Beds, Meadow, Greenhouse, Orchard, Borders',
      subjects:
        'a first-time gardener, a patient allotment keeper, a city balcony grower, a rose enthusiast, a retired botanist, a young family',
      actions: 'plants, prunes, grows, revives, waters, protects',
      objects:
        'a bed of heirloom tomatoes, a climbing rose, a small herb garden, a row of spring bulbs, a compost heap, a shady fern corner',
    },
  ),
  topic(
    { name: 'world history', unit: 'Chapter', seriesKind: 'documentary', basePrice: 5.99, favoured: 'tv' },
    {
      seriesFirst: 'Ancient, Imperial, Lost, Medieval, Forgotten, Iron, Golden, Silk, Great, Fallen',
      seriesSecond:
        'Empires, Kingdoms, Dynasties, Crusades, Republics, Roads, Revolutions, Conquests, Centuries, Chronicles',
      subjects:
        'a Roman senator, a Mongol general, a Venetian merchant, a Tudor queen, a Ming admiral, a French revolutionary',
      actions: 'reshapes, defends, rebuilds, chronicles, unites, conquers',
      objects:
        'a crumbling empire, the Silk Road trade, a besieged capital, a divided kingdom, the spice routes, a new republic',
    },
  ),
  topic(
    { name: 'personal finance', unit: 'Lesson', seriesKind: 'course', basePrice: 9.99, favoured: 'morning' },
    {
      seriesFirst: 'Smart, Simple, Debt-Free, Frugal, Wealthy, Steady, Everyday, Future, Practical, Early',
      seriesSecond:
        'Money, Savings, Budget, Investing, Pension, Portfolio, Wallet, Retirement, Finances, Habits',
      subjects:
        'a young couple, a freelance designer, a recent graduate, a single parent, a retiring teacher, a small business owner',
      actions: 'builds, plans, reviews, grows, protects, automates',
      objects:
        'an emergency fund, a monthly budget, an index fund portfolio, a retirement account, a first home deposit, a college savings plan',
    },
  ),
  topic(
    { name: 'mountain hiking', unit: 'Trail', seriesKind: 'guide', basePrice: 6.99 },
    {
      seriesFirst: 'Alpine, High, Summit, Ridge, Wild, Northern, Granite, Misty, Glacier, Timberline',
      seriesSecond: 'Trails, Passes, Peaks, Routes, Ascents, Traverses, Paths, Valleys, Walks, Heights',
      subjects:
        'a solo hiker, a family of four, a seasoned mountaineer, a trail runner, a pair of old friends, a hiking club',
      actions: 'climbs, crosses, explores, descends, traverses, maps out',
      objects:
        'a snowy alpine pass, a rocky ridge line, a glacier valley, a pine forest trail, a volcanic summit, a high mountain lake loop',
    },
  ),
  topic(
    { name: 'indie games', unit: 'Part', seriesKind: 'playthrough', basePrice: 14.99, favoured: 'evening' },
    {
      seriesFirst: 'Pixel, Tiny, Hollow, Neon, Paper, Lonely, Clockwork, Little, Dungeon, Cozy',
      seriesSecond: 'Quest, Knight, Islands, Tales, Odyssey, Garden, Forge, Runner, Depths, Lantern',
      subjects:
        'a tiny robot, a lost fox, a pixel knight, a lonely lighthouse keeper, a young witch, a clockwork explorer',
      actions: 'explores, restores, escapes, builds, solves, unlocks',
      objects:
        'a procedurally generated dungeon, a forgotten island, a puzzle temple, a cozy farming village, a haunted mansion, a floating city',
    },
  ),
  topic(
    { name: 'classical music', unit: 'Movement', seriesKind: 'recording', basePrice: 1.49 },
    {
      seriesFirst:
        'Baroque, Romantic, Vienna, Sonata, Nocturne, Chamber, Symphonic, Moonlight, Royal, Spring',
      seriesSecond:
        'Concertos, Suites, Variations, Preludes, Symphonies, Quartets, Serenades, Etudes, Overtures, Requiems',
      subjects:
        'a string quartet, a young pianist, a chamber orchestra, a famous conductor, a solo cellist, a cathedral choir',
      actions: 'performs, reinterprets, records, revives, rehearses, premieres',
      objects:
        'a Bach cello suite, a Mozart piano concerto, a Beethoven symphony, a Chopin nocturne, a Vivaldi violin concerto, a Brahms requiem',
    },
  ),
  topic(
    { name: 'true crime', unit: 'Episode', seriesKind: 'podcast', basePrice: 2.99, favoured: 'evening' },
    {
      seriesFirst: 'Cold, Silent, Vanishing, Midnight, Unsolved, Shadow, Final, Hidden, Broken, Twisted',
      seriesSecond: 'Case, Files, Witness, Alibi, Evidence, Trail, Motive, Verdict, Confession, Lies',
      subjects:
        "a small-town detective, a retired prosecutor, an investigative journalist, a forensic scientist, a victim's sister, a podcast host",
      actions: 'reopens, investigates, uncovers, revisits, cracks, retraces',
      objects:
        'a decades-old murder, a vanished heiress, a staged burglary, a wrongful conviction, a missing hiker case, a poisoning at a dinner party',
    },
  ),
  topic(
    {
      name: 'yoga & wellness',
      unit: 'Session',
      seriesKind: 'programme',
      basePrice: 7.99,
      favoured: 'morning',
    },
    {
      seriesFirst: 'Morning, Gentle, Mindful, Daily, Calm, Soft, Slow, Restful, Sunrise, Inner',
      seriesSecond: 'Flow, Stretch, Balance, Practice, Reset, Mat, Breath, Stillness, Energy, Harmony',
      subjects:
        'a beginner yogi, a busy office worker, a gentle instructor, an expecting mother, a retired dancer, a stressed student',
      actions: 'practises, learns, deepens, eases into, masters, rediscovers',
      objects:
        'a sun salutation flow, a calming breath routine, a hip opening sequence, a ten minute meditation, a restorative evening stretch, a core strength practice',
    },
  ),
];
