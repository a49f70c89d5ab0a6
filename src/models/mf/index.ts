export { BprModel } from './bpr.js';
export { BprConfig } from './config.js';
