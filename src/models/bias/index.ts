export { BiasModel } from './bias.js';
export { BiasConfig } from './config.js';
