export { BprModel } from './bpr.js';
export { BprConfig, RatingMfConfig } from './config.js';
export { RatingMfModel } from './rating-mf.js';
