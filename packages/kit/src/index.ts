export * from './errors.js';
export * from './parse.js';
export * from './inputs.js';
export * from './run.js';
export * from './secrets.js';
export * from './summary.js';
export * from './wait.js';
export * from './paths.js';
