/** The parts every Kith mail shares. Each feature writes its own mails' words beside its
 * code; plain text reads the same in every client. */

export interface Composed {
  subject: string;
  text: string;
  html?: string;
}

export const SIGNOFF = '\n-- \nKith, your networking assistant. Reply "help" for the commands.\n';

/** A short answer: what Kith did, then the sign-off. */
export function notice(subject: string, body: string): Composed {
  return { subject, text: `${body}\n${SIGNOFF}` };
}
