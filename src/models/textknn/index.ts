export { TextKnnConfig } from './config.js';
export { TextKnnModel } from './textknn.js';
