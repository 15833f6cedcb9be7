/** Shapes shared by the inbound pipeline: what a mail says about people. */

/** Someone as a mail names them: either part may be missing. */
export interface Person {
  name?: string;
  email?: string;
}

/** How much a name can be trusted; a higher rank replaces a lower one, never the reverse. */
export const NameRank = { none: 0, address: 1, display: 2, card: 3 } as const;
export type NameRank = (typeof NameRank)[keyof typeof NameRank];

/** Everything one source says about one contact. Emails lower-cased, phones E.164. */
export interface ContactFacts {
  name?: string;
  nameRank: NameRank;
  emails: string[];
  phones: string[];
  company?: string;
  title?: string;
  metAt?: string;
}

/** The original message inside a forward (inline block or message/rfc822 part). */
export interface ForwardedMessage {
  from: Person;
  to: Person[];
  cc: Person[];
  /** Epoch ms, when the forwarded header block carried a date that parses. */
  date?: number;
  subject?: string;
  body: string;
}
