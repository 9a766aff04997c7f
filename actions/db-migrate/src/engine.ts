/**
 * What talks to PostgreSQL (pg) and splits SQL (dbgate-query-splitter), in one module that main.ts loads
 * once the inputs are read: a bad input fails without loading either.
 */
export { openSession } from './connection.js';
export { displayName, ensureHistory, historyExists, readHistory } from './history.js';
export { acquireLock, lockKey, releaseLock } from './lock.js';
export { findTransactionControl, loadMigrations, splitStatements } from './migrations.js';
export { applyMigrations, revertMigrations } from './runner.js';
