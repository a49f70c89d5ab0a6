import { TideError } from '../core/errors.js';
import type { Item } from '../core/types.js';

/**
 * The default item text template: title, categories, tags, description, each when present.
 *
 * @example
 * itemText(item, DEFAULT_ITEM_TEMPLATE); // "Toy Story (1995). Animation, Children's, Comedy"
 */
export const DEFAULT_ITEM_TEMPLATE = '{title}. {categories}. {tags}. {text}';

/** Placeholders a template may use; `{attributes.<name>}` reads any other attribute. */
export const ITEM_FIELDS = ['id', 'title', 'categories', 'tags', 'text'] as const;

/**
 * A template split into its literal pieces and placeholders: literals[i] precedes fields[i].
 *
 * @example
 * const template: ItemTemplate = parseItemTemplate('{title}: {text}'); // parse once, use per item
 * items.map((item) => itemText(item, template));
 */
export interface ItemTemplate {
  source: string;
  literals: string[];
  fields: string[];
}

const PLACEHOLDER = /\{([^{}]*)\}/g;
/** Separator of the tags in `attributes.tags` (as the MovieLens readers join them). */
const TAG_SEPARATOR = '|';

/**
 * Parses a template such as `"{title}. {categories}. {text}"`, rejecting unknown placeholders.
 *
 * @example
 * parseItemTemplate('{title} ({attributes.year})').fields; // ['title', 'attributes.year']
 */
export function parseItemTemplate(source: string): ItemTemplate {
  const literals: string[] = [];
  const fields: string[] = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    const field = match[1].trim();
    const known = (ITEM_FIELDS as readonly string[]).includes(field) || /^attributes\.[^.\s]+$/.test(field);
    if (!known) {
      throw new TideError(
        'CONFIG',
        `item text template "${source}": unknown placeholder {${match[1]}}; use ${ITEM_FIELDS.map((f) => `{${f}}`).join(', ')} or {attributes.<name>}`,
        { file: 'item text template', field: match[1] },
      );
    }
    literals.push(source.slice(last, match.index));
    fields.push(field);
    last = match.index + match[0].length;
  }
  literals.push(source.slice(last));
  if (fields.length === 0) {
    throw new TideError('CONFIG', `item text template "${source}" has no placeholder such as {title}`);
  }
  return { source, literals, fields };
}

/**
 * The text an item is embedded from. Placeholders are filled from the item (categories and tags
 * joined with ", "); an empty part is dropped with the separator that follows it, so that
 * `"{title}. {categories}. {text}"` gives `"Heat (1995). Action, Crime, Thriller"` for an item
 * without text. The text before the first placeholder and after the last one is kept only when
 * some part is not empty. MovieLens titles keep their year: `"Toy Story (1995)"`.
 *
 * @example
 * itemText({ itemId: '1', title: 'Toy Story (1995)', categories: ['Animation', "Children's", 'Comedy'] });
 * // "Toy Story (1995). Animation, Children's, Comedy"
 */
export function itemText(item: Item, template: string | ItemTemplate = DEFAULT_ITEM_TEMPLATE): string {
  const { literals, fields } = typeof template === 'string' ? parseItemTemplate(template) : template;
  let out = '';
  let pendingSeparator = '';
  for (let i = 0; i < fields.length; i++) {
    const value = fieldValue(item, fields[i]);
    if (value === '') continue;
    out += (out === '' ? '' : pendingSeparator) + value;
    pendingSeparator = literals[i + 1];
  }
  return out === '' ? '' : literals[0] + out + literals[literals.length - 1];
}

function fieldValue(item: Item, field: string): string {
  switch (field) {
    case 'id':
      return item.itemId;
    case 'title':
      return clean(item.title);
    case 'text':
      return clean(item.text);
    case 'categories':
      return joinList(item.categories ?? []);
    case 'tags': {
      const tags = item.attributes?.tags;
      return typeof tags === 'string' ? joinList(tags.split(TAG_SEPARATOR)) : '';
    }
    default: {
      const value = item.attributes?.[field.slice('attributes.'.length)];
      return value === undefined ? '' : clean(String(value));
    }
  }
}

function joinList(values: readonly string[]): string {
  return values
    .map((v) => clean(v))
    .filter((v) => v !== '')
    .join(', ');
}

/** Trims and collapses runs of whitespace (newlines in descriptions included). */
function clean(value: string | undefined): string {
  return value === undefined ? '' : value.replace(/\s+/g, ' ').trim();
}
