/**
 * Contact exports as CSV: LinkedIn Connections.csv, Google Contacts (current and older
 * column names), Outlook, and any sheet with recognisable headers. The header row is
 * found rather than assumed (LinkedIn puts a "Notes:" preamble above it).
 */
import Papa from "papaparse";
import { cleanName, nameFromAddress } from "../../people/names";
import { normalisePhone } from "../../lib/phone";
import { normaliseEmail, unique } from "./fields";
import { type ContactFacts, NameRank } from "../types";

/** Data rows read from one CSV; the rest is reported as truncated, not read. */
export const CSV_ROW_LIMIT = 5_000;

export type CsvFormat = "linkedin" | "google" | "outlook" | "generic";

/** What a CSV gave. `truncated`: it had more than `limit` data rows and only `limit` were read. */
export interface CsvImport {
  contacts: ContactFacts[];
  truncated: boolean;
  limit: number;
  /** Which export the header row looks like; undefined when no header row was found. */
  format?: CsvFormat;
}

type Role = "full" | "given" | "middle" | "family" | "email" | "phone" | "company" | "title" | "honorific";

// Headers are compared lower-cased with everything but letters and digits removed:
// "E-mail 1 - Value" is "email1value", "Organization 1 - Name" is "organization1name".
const ROLES: [RegExp, Role][] = [
  [/^(?:name|fullname|displayname|formattedname|contactname|contact)$/, "full"],
  [/^(?:firstname|givenname|first|forename)$/, "given"],
  [/^(?:middlename|additionalname|middle)$/, "middle"],
  [/^(?:lastname|familyname|surname|last)$/, "family"],
  [/^(?:primary|secondary|second|work|home|other|personal|business)?e?mail\d*(?:address)?\d*(?:value)?$/, "email"],
  // Fax, pager and the assistant's number are not the contact's own phone.
  [/^(?:primary|business|home|mobile|cell|work|other|main|companymain|personal|direct)?(?:phone|telephone|tel|mobile|cell)(?:number)?\d*(?:value)?$/, "phone"],
  [/^(?:company|companyname|organi[sz]ation|organi[sz]ation\d*name|organi[sz]ationname|employer|org)$/, "company"],
  [/^(?:jobtitle|position|organi[sz]ation\d*title|organi[sz]ationtitle|role|jobrole)$/, "title"],
  // Outlook's "Title" is Mr./Ms.; elsewhere a lone "Title" column is the job title.
  [/^title$/, "honorific"],
];
const HONORIFIC = /^(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam)\.?$/i;
const HEADER_SCAN = 50;

/** Contacts from CSV text; rows with no name, address or number are skipped. */
export function parseContactsCsv(text: string, defaultRegion = "US", limit = CSV_ROW_LIMIT): CsvImport {
  const body = text.replace(/^\ufeff/, "");
  const header = findHeader(body);
  if (!header) return { contacts: [], truncated: false, limit };
  const columns = header.row.map(roleOf);
  const hasJobTitle = columns.includes("title");
  const contacts: ContactFacts[] = [];
  let index = -1;
  let rows = 0;
  let truncated = false;
  Papa.parse<string[]>(body, {
    delimiter: header.delimiter,
    step: (result, parser) => {
      index++;
      const row = result.data;
      if (index <= header.index || row.every((cell) => cell.trim() === "")) return;
      if (++rows > limit) {
        truncated = true;
        parser.abort();
        return;
      }
      const facts = rowFacts(row, columns, hasJobTitle, defaultRegion);
      if (facts) contacts.push(facts);
    },
  });
  return { contacts, truncated, limit, format: formatOf(header.row) };
}

interface Header {
  index: number;
  delimiter: string;
  row: string[];
}

/** The row among the first few whose cells name the most contact columns, in whichever delimiter fits. */
function findHeader(text: string): Header | undefined {
  let best: (Header & { score: number }) | undefined;
  for (const delimiter of [",", ";", "\t"]) {
    const { data } = Papa.parse<string[]>(text, { delimiter, preview: HEADER_SCAN });
    data.forEach((row, index) => {
      const roles = new Set(row.map(roleOf).filter((r) => r !== undefined));
      const identifies = roles.has("email") || roles.has("full") || roles.has("given") || roles.has("family");
      const score = roles.size;
      if (identifies && score >= 2 && (!best || score > best.score)) best = { index, delimiter, row, score };
    });
  }
  return best;
}

function roleOf(header: string): Role | undefined {
  const key = header.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  return ROLES.find(([re]) => re.test(key))?.[1];
}

function formatOf(header: string[]): CsvFormat {
  const keys = new Set(header.map((h) => h.toLowerCase().replace(/[^a-z0-9]/g, "")));
  if (keys.has("connectedon") && keys.has("url")) return "linkedin";
  const google = ["email1value", "phone1value", "organizationname", "organization1name", "givenname"];
  if (google.some((k) => keys.has(k))) return "google";
  if (keys.has("emailaddress") && (keys.has("businessphone") || keys.has("jobtitle"))) return "outlook";
  return "generic";
}

function rowFacts(row: string[], columns: (Role | undefined)[], hasJobTitle: boolean, region: string): ContactFacts | undefined {
  const cells = (role: Role): string[] =>
    // Google joins several values of one field with " ::: ".
    row.flatMap((cell, i) => (columns[i] === role ? cell.split(":::") : [])).map((c) => c.trim()).filter(Boolean);
  const emails = unique(cells("email").flatMap((c) => c.split(/[;,\s]+/)).flatMap((c) => normaliseEmail(c) ?? []));
  const phones = unique(cells("phone").flatMap((c) => normalisePhone(c, region) ?? []));
  const given = [...cells("given"), ...cells("middle"), ...cells("family")].join(" ");
  const explicit = cleanName(cells("full")[0], emails[0]) ?? cleanName(given || undefined, emails[0]);
  const derived = explicit ? undefined : emails.map(nameFromAddress).find(Boolean);
  if (!explicit && emails.length === 0 && phones.length === 0) return undefined;
  const facts: ContactFacts = {
    nameRank: explicit ? NameRank.card : derived ? NameRank.address : NameRank.none,
    emails,
    phones,
  };
  const name = explicit ?? derived;
  if (name) facts.name = name;
  const company = cells("company")[0];
  if (company) facts.company = company.slice(0, 200);
  const title = cells("title")[0] ?? (hasJobTitle ? undefined : cells("honorific").find((t) => !HONORIFIC.test(t)));
  if (title) facts.title = title.slice(0, 200);
  return facts;
}
