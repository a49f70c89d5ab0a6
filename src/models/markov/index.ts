export { MarkovConfig } from './config.js';
export { MarkovModel } from './markov.js';
