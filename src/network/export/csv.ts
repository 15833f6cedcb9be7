/**
 * The user's people as a Google Contacts CSV: the column names of Google's own export
 * (which its importer, and Kith's, recognise), RFC 4180 quoting, CRLF line ends.
 */
import { type ExportPerson, isFamilyFirst, noteText, present, splitName } from "./person";

const CRLF = "\r\n";
// Google's export puts one E-mail/Phone label+value pair per address; a label of its
// own vocabulary ("* Work", "Mobile") would claim what Kith does not know, so it is left empty.
const FIXED_HEADER = ["First Name", "Middle Name", "Last Name", "Organization Name", "Organization Title", "Notes"];
// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
// Cells are trimmed first, so the tab or line break some spreadsheets skip cannot hide one.
const FORMULA_START = /^[=+\-@]/;
// "+" then digits only is a number to a spreadsheet, never a call or a reference, so
// an E.164 phone is written as it is and stays a phone for Google's importer.
const E164 = /^\+\d{1,15}$/;

/** A header row, then one row per person in the order given. */
export function toContactsCsv(people: readonly ExportPerson[]): string {
  // reduce, not Math.max(...spread): a large enough export would overflow the argument list.
  const emailColumns = people.reduce((most, p) => Math.max(most, p.emails.length), 1);
  const phoneColumns = people.reduce((most, p) => Math.max(most, p.phones.length), 1);
  return csvHeader(emailColumns, phoneColumns) + csvRows(people, emailColumns, phoneColumns);
}

/** The header row, for a file written a page of people at a time (the web download):
 * as many E-mail and Phone columns as the person with the most has. */
export function csvHeader(emailColumns: number, phoneColumns: number): string {
  const header = [...FIXED_HEADER];
  for (let i = 1; i <= Math.max(1, emailColumns); i++) header.push(`E-mail ${i} - Label`, `E-mail ${i} - Value`);
  for (let i = 1; i <= Math.max(1, phoneColumns); i++) header.push(`Phone ${i} - Label`, `Phone ${i} - Value`);
  return header.map(field).join(",") + CRLF;
}

/** Rows for these people, each ending in CRLF. */
export function csvRows(people: readonly ExportPerson[], emailColumns: number, phoneColumns: number): string {
  // Rows gathered and joined once, so 10,000 people cost one final copy, not one per row.
  const rows: string[] = [];
  for (const person of people) rows.push(row(person, Math.max(1, emailColumns), Math.max(1, phoneColumns)));
  return rows.length > 0 ? rows.join(CRLF) + CRLF : "";
}

function row(person: ExportPerson, emailColumns: number, phoneColumns: number): string {
  const cells = [...nameCells(person.name), person.company ?? "", person.title ?? "", noteText(person)].map(safe);
  for (let i = 0; i < emailColumns; i++) cells.push("", safe(person.emails[i] ?? ""));
  for (let i = 0; i < phoneColumns; i++) cells.push("", phoneCell(person.phones[i] ?? ""));
  return cells.map(field).join(",");
}

/**
 * First, middle and last name. A name said family name first ("安藤 ロイド") goes whole
 * into First Name: Google and Kith both read First + Last in that order, which would
 * turn it round.
 */
function nameCells(name: string | null): [string, string, string] {
  if (!present(name)) return ["", "", ""];
  if (isFamilyFirst(name)) return [name.trim(), "", ""];
  const { given, family } = splitName(name);
  return [given, "", family];
}

function phoneCell(phone: string): string {
  const trimmed = phone.trim();
  return E164.test(trimmed) ? trimmed : safe(trimmed);
}

/** A cell a spreadsheet shows as text: a leading apostrophe is its own "this is text" mark. */
function safe(value: string): string {
  const trimmed = value.trim();
  return FORMULA_START.test(trimmed) ? "'" + trimmed : trimmed;
}

/** RFC 4180: quoted when it holds a comma, quote or line break, quotes doubled. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
