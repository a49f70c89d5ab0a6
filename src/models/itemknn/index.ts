export { ItemKnnConfig } from './config.js';
export { ItemKnnModel } from './itemknn.js';
