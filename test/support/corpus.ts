import files from "virtual:corpus";

/** Exact bytes of a corpus file, e.g. corpusBytes("auto/sisimai_bounce_qmail.eml"). */
export function corpusBytes(path: string): Uint8Array {
  const b64 = files[path];
  if (b64 === undefined) throw new Error(`no corpus file ${path}`);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

export function corpusText(path: string): string {
  return new TextDecoder().decode(corpusBytes(path));
}

/** Corpus paths under a folder, sorted, e.g. corpusFiles("auto/"). */
export function corpusFiles(prefix: string): string[] {
  return Object.keys(files).filter((p) => p.startsWith(prefix) && !p.endsWith(".md")).sort();
}
