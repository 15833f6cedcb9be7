import type { DueReminder } from "../../reminders/store";
import type { Zone } from "../../lib/zone";
import { about, day, REMINDER } from "./format";
import { Layout, Notice, Post } from "./layout";

const who = (r: DueReminder) => r.name ?? r.email ?? about(r) ?? "reminder";

/** What is open: follow-ups, check-ins, intro checks, promises, your reminders; done,
 * snooze or skip in place. */
export function ReminderActions(props: { r: DueReminder; csrf: string; back: string }) {
  const action = `/app/reminders/${props.r.id}`;
  return (
    <div class="actions">
      <Post action={action} csrf={props.csrf} class="inline" label={`Done: ${who(props.r)}`}>
        <input type="hidden" name="back" value={props.back} />
        <button type="submit" name="action" value="done">
          Done
        </button>
      </Post>
      <Post action={action} csrf={props.csrf} class="inline" label={`Snooze: ${who(props.r)}`}>
        <input type="hidden" name="back" value={props.back} />
        <input type="hidden" name="action" value="snooze" />
        <label class="inline">
          <span class="muted">Snooze for </span>
          <select name="days" aria-label="Snooze for">
            <option value="1">1 day</option>
            <option value="3">3 days</option>
            <option value="7" selected>
              1 week
            </option>
            <option value="14">2 weeks</option>
            <option value="30">1 month</option>
          </select>
        </label>{" "}
        <button type="submit" class="quiet">
          Snooze
        </button>
      </Post>
      <Post action={action} csrf={props.csrf} class="inline" label={`Skip: ${who(props.r)}`}>
        <input type="hidden" name="back" value={props.back} />
        <button type="submit" name="action" value="skip" class="quiet">
          Skip
        </button>
      </Post>
    </div>
  );
}

function Items(props: { items: DueReminder[]; csrf: string; zone: Zone; now: number; label: string }) {
  return (
    <ul class="people card" aria-label={props.label}>
      {props.items.map((r) => (
        <li>
          <span class="tag">{REMINDER[r.kind] ?? r.kind}</span> {r.contact_id !== null ? <a href={`/app/people/${r.contact_id}`}>{r.name ?? r.email ?? "(no name)"}</a> : null}
          {r.kind === "intro-check" ? <span> and {r.other_name ?? r.other_email ?? "the other person"}</span> : null}
          {about(r) ? <span> {r.contact_id !== null ? "· " : ""}{about(r)}</span> : null}
          <div class="muted">
            {r.status === "sent" ? "Asked" : "Due"} {day(r.due_at, props.zone, props.now)}
            {r.last_subject ? ` · last: “${r.last_subject.slice(0, 60)}”` : ""}
          </div>
          <ReminderActions r={r} csrf={props.csrf} back="/app/due" />
        </li>
      ))}
    </ul>
  );
}

/** Due now (and asked by mail, not yet acted on), then what comes in the next week; and
 * mail Kith could not deliver to the user lately, which its next mail may not bring. */
export function DuePage(props: { user: { email: string }; csrf: string; items: DueReminder[]; zone: Zone; now: number; notice?: string | null; error?: boolean; undelivered?: string | null }) {
  const now = props.items.filter((r) => r.status === "sent" || r.due_at <= props.now);
  const soon = props.items.filter((r) => !now.includes(r));
  return (
    <Layout title="Due" user={props.user} section="due">
      <h1>Due</h1>
      <Notice text={props.notice} error={props.error} />
      <Notice text={props.undelivered} error />
      {now.length === 0 ? <p class="card">Nothing is due now. Kith mails you when something is.</p> : <Items items={now} csrf={props.csrf} zone={props.zone} now={props.now} label="Due now" />}
      {soon.length > 0 ? (
        <>
          <h2>Coming up this week</h2>
          <Items items={soon} csrf={props.csrf} zone={props.zone} now={props.now} label="Coming up" />
        </>
      ) : null}
    </Layout>
  );
}
