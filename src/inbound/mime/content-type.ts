/** "Text/Plain; charset=x" to "text/plain"; "" when absent. */
export function mimeType(contentType: string | undefined): string {
  return (contentType ?? "").split(";", 1)[0]!.trim().toLowerCase();
}
