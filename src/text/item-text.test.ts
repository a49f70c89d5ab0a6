import { describe, expect, it } from 'vitest';
import type { Item } from '../core/types.js';
import { DEFAULT_ITEM_TEMPLATE, itemText, parseItemTemplate } from './item-text.js';

const TOY_STORY: Item = {
  itemId: '1',
  title: 'Toy Story (1995)',
  categories: ['Animation', "Children's", 'Comedy'],
};

describe('itemText', () => {
  it('joins title and categories for a MovieLens item, keeping the year in the title', () => {
    expect(itemText(TOY_STORY)).toBe("Toy Story (1995). Animation, Children's, Comedy");
  });

  it('adds tags (from attributes.tags) and the description, cleaning whitespace', () => {
    const item: Item = {
      itemId: '2',
      title: '  Heat (1995) ',
      categories: ['Action', ' Crime '],
      text: 'A heist\n  thriller.',
      attributes: { tags: 'Al Pacino|heist||De Niro', year: 1995 },
    };
    expect(itemText(item)).toBe('Heat (1995). Action, Crime. Al Pacino, heist, De Niro. A heist thriller.');
  });

  it('drops an empty part together with the separator that follows it', () => {
    const template = '{title}. {categories}. {text}';
    expect(itemText({ itemId: '3', title: 'Solo' }, template)).toBe('Solo');
    expect(itemText({ itemId: '3', title: 'Solo', text: 'Plot.' }, template)).toBe('Solo. Plot.');
    expect(itemText({ itemId: '3', categories: ['Drama'], text: 'Plot.' }, template)).toBe('Drama. Plot.');
    expect(itemText({ itemId: '3' }, template)).toBe('');
  });

  it('keeps text around the placeholders, and reads {id} and {attributes.<name>}', () => {
    const template = 'Movie: {title} ({attributes.year}) [{id}]';
    expect(itemText({ ...TOY_STORY, attributes: { year: 1995 } }, template)).toBe(
      'Movie: Toy Story (1995) (1995) [1]',
    );
    expect(itemText({ itemId: '9' }, '<{attributes.year}>')).toBe('');
  });

  it('rejects unknown placeholders and templates without any, naming them', () => {
    expect(() => parseItemTemplate('{titel}. {categories}')).toThrow(
      /unknown placeholder \{titel\}; use \{id\}, \{title\}/,
    );
    expect(() => parseItemTemplate('just text')).toThrow(/has no placeholder/);
    expect(parseItemTemplate(DEFAULT_ITEM_TEMPLATE).fields).toEqual(['title', 'categories', 'tags', 'text']);
  });
});
