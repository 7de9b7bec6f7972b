import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'mysql',
  schema: './db/plugin/schema.ts',
  out: './db/migrations',
});
