// @ts-check
/**
 * What password-pool.ts passes the threads it starts, so that only they answer hashing jobs: the
 * `intake` command itself runs in a worker thread too, and loads password-hash.js there.
 */
export const hashWorkerRole = 'intake-password-hash';
