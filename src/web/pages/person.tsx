import { formatPhone } from "../../lib/phone";
import type { Zone } from "../../lib/zone";
import type { Named, PersonView } from "../person-view";
import { ReminderActions } from "./due";
import { about, day, KIND, REMINDER } from "./format";
import { Field, Layout, Notice, Post } from "./layout";

/** One person: facts (edited in place), addresses and phones, where and when met, the
 * introductions around them, the timeline, notes, open reminders, cadence, merge and
 * forget. Every change is a POST form with the CSRF token; no script. */

const Who = (props: { n: Named }) => (props.n.id === null ? <span>you</span> : <a href={`/app/people/${props.n.id}`}>{props.n.name}</a>);

export function PersonPage(props: { user: { email: string }; csrf: string; p: PersonView; defaultCadence: number; today: string; zone: Zone; now: number; notice?: string | null; error?: boolean }) {
  const { p, csrf, zone, now } = props;
  const c = p.contact;
  const base = `/app/people/${c.id}`;
  const name = c.name ?? p.emails[0] ?? "(no name)";
  const work = [c.title, c.company].filter(Boolean).join(" at ");
  return (
    <Layout title={name} user={props.user} section="people">
      <p class="muted">
        <a href="/app">People</a> ›
      </p>
      <h1>{name}</h1>
      {work ? <p class="lead">{work}</p> : null}
      <Notice text={props.notice} error={props.error} />
      <div class="grid">
        <div>
          <section aria-labelledby="due-h" class="card">
            <h2 id="due-h">Reminders</h2>
            {p.reminders.length === 0 ? (
              <p class="muted">Nothing open.</p>
            ) : (
              <ul class="people">
                {p.reminders.map((r) => (
                  <li>
                    <span class="tag">{REMINDER[r.kind] ?? r.kind}</span> {r.status === "sent" ? "asked" : "due"} {day(r.due_at, zone, now)}
                    {r.kind === "intro-check" ? <span> (with {r.other_name ?? r.other_email ?? "the other person"})</span> : null}
                    {about(r) ? <span>: {about(r)}</span> : null}
                    <ReminderActions r={r} csrf={csrf} back={base} />
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="notes-h" class="card">
            <h2 id="notes-h">Notes</h2>
            <Post action={`${base}/notes`} csrf={csrf} label="Add a note">
              <label for="note">Add a note</label>
              <textarea id="note" name="text" maxlength={2000} required></textarea>
              <div class="actions">
                <button type="submit">Add note</button>
              </div>
            </Post>
            {p.notes.length > 0 ? (
              <ul class="people">
                {p.notes.map((n) => (
                  <li>
                    <div class="muted">{day(n.created_at, zone, now)}</div>
                    <div class="note">{n.text}</div>
                  </li>
                ))}
              </ul>
            ) : null}
          </section>

          <section aria-labelledby="timeline-h" class="card">
            <h2 id="timeline-h">Timeline</h2>
            <Post action={`${base}/met`} csrf={csrf} label="Log a meeting">
              <div class="row">
                <div>
                  <label for="met-what">You met them (what for)</label>
                  <input type="text" id="met-what" name="what" maxlength={200} placeholder="Coffee" />
                </div>
                <div>
                  <label for="met-on">On</label>
                  <input type="date" id="met-on" name="on" value={props.today} max={props.today} required />
                </div>
                <button type="submit" class="quiet">
                  Log it
                </button>
              </div>
            </Post>
            {p.timeline.length === 0 ? (
              <p class="muted">No interactions yet.</p>
            ) : (
              <ol class="timeline">
                {p.timeline.map((i) => (
                  <li>
                    <span class="tag">{KIND[i.kind] ?? i.kind}</span> <span class="muted">{day(i.occurred_at, zone, now)}</span>
                    {i.subject ? <div>{i.subject}</div> : null}
                    {i.others ? <div class="muted">With {i.others}</div> : null}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>

        <div>
          <section aria-labelledby="facts-h" class="card">
            <h2 id="facts-h">Facts</h2>
            <Post action={`${base}/facts`} csrf={csrf} label="Facts">
              <label for="f-name">Name</label>
              <input type="text" id="f-name" name="name" value={c.name ?? ""} maxlength={200} autocomplete="off" />
              <label for="f-title">Title</label>
              <input type="text" id="f-title" name="title" value={c.title ?? ""} maxlength={200} autocomplete="off" />
              <label for="f-company">Company</label>
              <input type="text" id="f-company" name="company" value={c.company ?? ""} maxlength={200} autocomplete="off" />
              <label for="f-met">Where you met</label>
              <input type="text" id="f-met" name="met_at" value={c.met_at ?? ""} maxlength={200} autocomplete="off" />
              <div class="actions">
                <button type="submit">Save facts</button>
              </div>
            </Post>
            <p class="muted">Known since {day(c.created_at, zone, now)}. A fact you set here is never overwritten by later mail.</p>
          </section>

          <section aria-labelledby="reach-h" class="card">
            <h2 id="reach-h">Addresses and phones</h2>
            <ul class="plain">
              {p.emails.map((e) => (
                <li>
                  <a href={`mailto:${e}`}>{e}</a>
                </li>
              ))}
              {p.phones.map((ph) => (
                <li class="row">
                  <span>
                    <a href={`tel:${ph}`}>{formatPhone(ph)}</a>
                  </span>
                  <Post action={`${base}/phones/remove`} csrf={csrf} class="inline" label={`Remove ${formatPhone(ph)}`}>
                    <input type="hidden" name="phone" value={ph} />
                    <button type="submit" class="quiet">
                      Remove
                    </button>
                  </Post>
                </li>
              ))}
            </ul>
            <Field action={`${base}/phones`} csrf={csrf} for="phone" label="Add a phone" button="Add">
              <input type="tel" id="phone" name="phone" placeholder="+44 20 7946 0000" maxlength={40} required />
            </Field>
          </section>

          <section aria-labelledby="intro-h" class="card">
            <h2 id="intro-h">Met and introduced</h2>
            <ul class="plain">
              <li>{c.met_at ? `Met at ${c.met_at}` : "Where you met is not known."}</li>
              {p.introducedBy ? (
                <li>
                  Introduced to you by <Who n={p.introducedBy} />
                </li>
              ) : null}
              {p.introductions.map((n) =>
                n.role === "introducer" ? (
                  <li>
                    Introduced <Who n={n.others[0]!} /> to <Who n={n.others[1]!} /> <span class="muted">({day(n.at, zone, now)})</span>
                  </li>
                ) : (
                  <li>
                    Introduced to <Who n={n.others[0]!} /> by <Who n={n.by} /> <span class="muted">({day(n.at, zone, now)})</span>
                  </li>
                ),
              )}
            </ul>
            {p.introductions.some((n) => n.role === "introducer") ? (
              <p>
                <a href={`/app?by=${c.id}`}>Everyone {name} introduced</a>
              </p>
            ) : null}
          </section>

          <section aria-labelledby="cadence-h" class="card">
            <h2 id="cadence-h">Check-ins</h2>
            <p>
              {c.muted_at !== null
                ? "Stopped: Kith does not remind you to check in."
                : `Every ${c.cadence_days ?? props.defaultCadence} days${c.cadence_days === null ? " (your default)" : ""}.`}
            </p>
            <Field action={`${base}/cadence`} csrf={csrf} name="Check-in cadence" for="cadence" label="Check in every" button="Set">
              <select id="cadence" name="days">
                {[
                  [14, "2 weeks"],
                  [30, "month"],
                  [60, "2 months"],
                  [90, "3 months"],
                  [180, "6 months"],
                  [365, "year"],
                ].map(([d, label]) => (
                  <option value={String(d)} selected={(c.cadence_days ?? props.defaultCadence) === d}>
                    {label}
                  </option>
                ))}
              </select>
            </Field>
            {c.muted_at === null ? (
              <Post action={`${base}/stop`} csrf={csrf} label="Stop check-ins">
                <div class="actions">
                  <button type="submit" class="quiet">
                    Stop check-ins
                  </button>
                </div>
              </Post>
            ) : null}
          </section>

          <section aria-labelledby="merge-h" class="card">
            <h2 id="merge-h">Same person?</h2>
            <Field action={`${base}/merge`} csrf={csrf} name="Merge" for="merge" label="Merge with the person at this address" button="Merge">
              <input type="email" id="merge" name="address" required maxlength={320} />
            </Field>
            <p class="muted">One person stays, with both addresses, every interaction and note.</p>
          </section>

          <section aria-labelledby="forget-h" class="card">
            <h2 id="forget-h">Forget</h2>
            <p>Erase {name} and everything about them; later mail will not bring them back.</p>
            <a class="button danger" href={`${base}/forget`}>
              Forget {name}…
            </a>
          </section>
        </div>
      </div>
    </Layout>
  );
}

/** Before something that cannot be undone: what it does, and one button. */
export function ConfirmPage(props: { user: { email: string }; csrf: string; title: string; text: string; action: string; button: string; back: string; section?: "people" | "settings" }) {
  return (
    <Layout title={props.title} user={props.user} section={props.section}>
      <div class="narrow card">
        <h1>{props.title}</h1>
        <p>{props.text}</p>
        <Post action={props.action} csrf={props.csrf} label={props.title}>
          <div class="actions">
            <button type="submit" class="danger">
              {props.button}
            </button>
            <a class="button quiet-link" href={props.back}>
              Cancel
            </a>
          </div>
        </Post>
      </div>
    </Layout>
  );
}
