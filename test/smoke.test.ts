import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { corpusFiles } from "./support/corpus";

it("has migrations and corpus", async () => {
  const r = await env.DB.prepare("SELECT count(*) AS n FROM users").first<{ n: number }>();
  expect(r?.n).toBe(0);
  expect(corpusFiles("auto/").length).toBeGreaterThan(20);
});
