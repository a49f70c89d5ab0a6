export { PopConfig } from './config.js';
export { PopularityModel } from './pop.js';
