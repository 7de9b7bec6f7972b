/**
 * The direction of dependencies, checked by `npm test` (npm run lint:deps):
 *
 *   contract ← core (read, map, validate, plan) ← host | store | mail ← engine ← http | jobs | demo | cli
 *   components → contract only
 *
 * An outer layer may use any layer beneath it, never one above it. The contract is what the browser
 * bundle may import: nothing outside it (no zod, no node: module, no database code).
 */
const layer = {
  contract: '^server/contract/',
  core: '^server/core/',
  host: '^(server/(host|store|mail)/|db/)',
  engine: '^server/engine/',
  edges: '^(server/(http|jobs|demo)/|server/main\\.ts$|plugin/)',
  components: '^components/',
};
const above = (...names) => names.map((n) => layer[n]).join('|');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'contract-is-browser-safe',
      comment: 'The browser-safe contract imports only itself: no zod, no node: module, no pipeline or database code.',
      severity: 'error',
      from: { path: layer.contract },
      to: { pathNot: layer.contract },
    },
    {
      name: 'core-only-on-contract',
      comment: 'Reading, mapping, validating and planning know nothing of the host, its database or the layers above.',
      severity: 'error',
      from: { path: layer.core },
      to: { path: [above('host', 'engine', 'edges', 'components'), 'node_modules/(mysql2|drizzle-orm|hono|nodemailer)/'] },
    },
    {
      name: 'plan-is-pure',
      comment: 'The plan is a pure function of candidates, a snapshot and settings: no I/O, no file reading.',
      severity: 'error',
      from: { path: '^server/core/plan/' },
      to: { path: '^server/core/read/', dependencyTypes: ['core', 'local', 'npm'] },
    },
    {
      name: 'plan-has-no-io-modules',
      severity: 'error',
      from: { path: '^server/core/plan/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'host-below-engine',
      comment: 'The host adapter, the stores and mail serve the engine; they never call it or the edges.',
      severity: 'error',
      from: { path: layer.host },
      to: { path: above('engine', 'edges', 'components') },
    },
    {
      name: 'engine-below-edges',
      severity: 'error',
      from: { path: layer.engine },
      to: { path: above('edges', 'components') },
    },
    {
      name: 'edges-apart',
      comment: 'HTTP, jobs and the demo are siblings: each reaches the engine, not each other (main.ts and the CLI compose them).',
      severity: 'error',
      from: { path: '^server/(http|jobs)/' },
      to: { path: '^(server/(http|jobs|demo)/|server/main\\.ts$|plugin/)', pathNot: '^server/$1/' },
    },
    {
      name: 'components-only-on-contract',
      comment: 'The browser bundle imports the browser-safe contract and nothing else of the server.',
      severity: 'error',
      from: { path: layer.components },
      to: { pathNot: `${layer.components}|${layer.contract}|node_modules/(lit|@lit|@lit-labs|@lit/localize)/` },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
