import { applyD1Migrations, env } from "cloudflare:test";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// Test files share one workerd (vitest.config.ts: isolate: false, which spares each file
// the Worker's start-up): each file starts from empty tables, as with isolated storage.
const { results } = await env.DB.prepare(
  `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'
     AND name <> 'd1_migrations' AND name NOT LIKE 'contact_search_%'`,
).all<{ name: string }>();
await env.DB.batch(results.map((t) => env.DB.prepare(`DELETE FROM "${t.name}"`)));
