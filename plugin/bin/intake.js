#!/usr/bin/env node
// The `intake` command. Registers tsx so the TypeScript sources run as they are, without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli.ts');
// `serve` and `start` never resolve; everything else exits with its code.
process.exit(await main(process.argv.slice(2)));
