/** Random positive 52-bit integer ids, chosen by the Worker so that one batch can
 * insert rows that refer to each other. Safe as JS numbers and SQLite integers. */
export function newId(): number {
  const [hi, lo] = crypto.getRandomValues(new Uint32Array(2)) as unknown as [number, number];
  return (hi & 0xfffff) * 0x1_0000_0000 + lo + 1;
}

export async function sha256Hex(data: ArrayBuffer | Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
