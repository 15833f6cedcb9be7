import type { PersonRow } from "../../people/browse";
import type { Zone } from "../../lib/zone";
import { day } from "./format";
import { Layout, Notice } from "./layout";

export interface PeopleQuery {
  q: string;
  met: string;
  losing: boolean;
  muted: boolean;
  by: string;
}

/** The people list: search, filters, a page at a time. Works without JavaScript. */
export function PeoplePage(props: { user: { email: string }; query: PeopleQuery; people: PersonRow[]; /** A search: how many match (null: more than this page), undefined: not a search. */ matches?: number | null; next: string | null; first: string | null; byName: string | null; zone: Zone; now: number; filtered: boolean; notice?: string | null; error?: boolean }) {
  const { query: q } = props;
  return (
    <Layout title="People" user={props.user} section="people">
      <h1>People</h1>
      <Notice text={props.notice} error={props.error} />
      <form method="get" action="/app" role="search" aria-label="Find people">
        <div class="row">
          <div>
            <label for="q">Search</label>
            <input type="search" id="q" name="q" value={q.q} placeholder="A name, company, event or note" />
          </div>
          <button type="submit">Search</button>
        </div>
        <div class="filters">
          <label>
            Met at <input type="text" name="met" value={q.met} aria-label="Met at an event" />
          </label>
          <label>
            <input type="checkbox" name="losing" value="1" checked={q.losing} /> Losing touch
          </label>
          <label>
            <input type="checkbox" name="muted" value="1" checked={q.muted} /> Check-ins stopped
          </label>
          {q.by ? <input type="hidden" name="by" value={q.by} /> : null}
        </div>
      </form>
      {props.byName ? <p class="muted">Introduced by {props.byName}.</p> : null}
      {props.matches === undefined ? null : <p class="muted">{props.matches === null ? "The best matches first." : props.matches === 1 ? "1 person matches." : `${props.matches} people match.`}</p>}
      {props.people.length === 0 ? (
        <p class="card">{props.filtered ? "No one matches." : "No one here yet. Mail Kith a business card, BCC it on a mail, or forward it a thread."}</p>
      ) : (
        <ul class="people card" aria-label="People">
          {props.people.map((p) => (
            <li>
              <a href={`/app/people/${p.id}`}>{p.name ?? p.email ?? "(no name)"}</a>
              <div class="muted">
                {[p.title && p.company ? `${p.title} at ${p.company}` : (p.title ?? p.company), p.name ? p.email : null, p.met_at ? `met at ${p.met_at}` : null].filter(Boolean).join(" · ")}
              </div>
              <div class="muted">
                Last in touch: {day(p.last_interaction_at, props.zone, props.now)}
                {p.muted_at !== null ? " · check-ins stopped" : ""}
              </div>
            </li>
          ))}
        </ul>
      )}
      {props.next || props.first ? (
        <nav class="pager" aria-label="Pages">
          {props.first ? <a href={props.first}>First page</a> : <span />}
          {props.next ? <a href={props.next}>Next page</a> : <span />}
        </nav>
      ) : null}
    </Layout>
  );
}
