export * from './table.js';
export * from './users.js';
export * from './structure.js';
export * from './site.js';
export * from './oauth2.js';
export * from './courses.js';
export * from './tags.js';
