import { env } from "cloudflare:workers";
import type { DnsEntry } from "./doh-server";

/** Tells the loopback DoH resolver (test/support/doh-server.ts) what a name answers. */
export async function setDns(entry: DnsEntry): Promise<void> {
  const res = await fetch(new URL("/dns/records", env.DOH_URL), { method: "POST", body: JSON.stringify(entry) });
  if (!res.ok) throw new Error(`the DoH stub refused ${entry.name}: ${res.status}`);
}

export const setTxt = (name: string, ...txt: string[]) => setDns({ name, txt });
