import type { TokenRow } from "../../account/tokens";
import { DAY_NAMES } from "../../lib/time";
import { describeZone, type Zone } from "../../lib/zone";
import type { UserAddress } from "../../users/store";
import type { User } from "../../users/user";
import { day } from "./format";
import { Field, Layout, Notice, Post } from "./layout";

/** Settings: the same preferences as the settings mail (each form says what the mail
 * command would), pause and resume, addresses, API tokens, downloads, sessions, and
 * deleting the account. */

const hh = (h: number) => `${String(h).padStart(2, "0")}:00`;
const HOURS = Array.from({ length: 24 }, (_, h) => h);

function HourSelect(props: { id: string; name: string; value: number; label?: string }) {
  return (
    <select id={props.id} name={props.name} aria-label={props.label}>
      {HOURS.map((h) => (
        <option value={String(h)} selected={h === props.value}>
          {hh(h)}
        </option>
      ))}
    </select>
  );
}

export interface SettingsView {
  user: User;
  zone: Zone;
  zones: string[];
  addresses: UserAddress[];
  tokens: TokenRow[];
  remindersPausedUntil: string | null;
  summaryPausedUntil: string | null;
  summaryOff: boolean;
  summaryHour: number;
}

export function SettingsPage(props: { csrf: string; v: SettingsView; now: number; notice?: string | null; error?: boolean }) {
  const { v, csrf } = props;
  const u = v.user;
  const quietOff = u.quiet_start === u.quiet_end;
  return (
    <Layout title="Settings" user={u} section="settings">
      <h1>Settings</h1>
      <Notice text={props.notice} error={props.error} />
      <div class="grid">
        <div>
          <section class="card" aria-labelledby="when-h">
            <h2 id="when-h">When Kith mails you</h2>
            <Field action="/app/settings/timezone" csrf={csrf} for="zone" label="Time zone" button="Save">
              <select id="zone" name="zone">
                {u.time_zone ? null : <option value="">{describeZone(v.zone)} (guessed)</option>}
                {v.zones.map((z) => (
                  <option value={z} selected={z === u.time_zone}>
                    {z.replace(/_/g, " ")}
                  </option>
                ))}
              </select>
            </Field>
            <Field action="/app/settings/deliver" csrf={csrf} name="Delivery hour" for="deliver" label="Reminders arrive at" button="Save">
              <HourSelect id="deliver" name="hour" value={u.deliver_hour} />
            </Field>
            <Post action="/app/settings/quiet" csrf={csrf} label="Quiet hours">
              <fieldset>
                <legend>Quiet hours (no reminders)</legend>
                <div class="row">
                  <div>
                    <label for="quiet-start">From</label>
                    <HourSelect id="quiet-start" name="start" value={u.quiet_start} />
                  </div>
                  <div>
                    <label for="quiet-end">Until</label>
                    <HourSelect id="quiet-end" name="end" value={u.quiet_end} />
                  </div>
                </div>
                <label class="check">
                  <input type="checkbox" name="off" value="1" checked={quietOff} /> No quiet hours
                </label>
              </fieldset>
              <div class="actions">
                <button type="submit" class="quiet">
                  Save
                </button>
              </div>
            </Post>
          </section>

          <section class="card" aria-labelledby="checkins-h">
            <h2 id="checkins-h">Check-ins</h2>
            <Field action="/app/settings/cadence" csrf={csrf} name="Default cadence" for="cadence" label="Check in with people every (days), unless set for a person" button="Save">
              <input type="number" id="cadence" name="days" min="1" max="3660" value={String(u.cadence_days)} required />
            </Field>
            <Field action="/app/settings/cap" csrf={csrf} name="Items per mail" for="cap" label="At most this many items in one reminder mail" button="Save">
              <input type="number" id="cap" name="items" min="1" max="20" value={String(u.item_cap)} required />
            </Field>
          </section>

          <section class="card" aria-labelledby="summary-h">
            <h2 id="summary-h">Weekly summary</h2>
            <Post action="/app/settings/summary" csrf={csrf} label="Weekly summary">
              <div class="row">
                <div>
                  <label for="summary-day">Day</label>
                  <select id="summary-day" name="day">
                    {DAY_NAMES.map((d, i) => (
                      <option value={d.toLowerCase()} selected={i + 1 === u.summary_day}>
                        {d}
                      </option>
                    ))}
                  </select>
                </div>
                <div>
                  <label for="summary-hour">Hour</label>
                  <HourSelect id="summary-hour" name="hour" value={v.summaryHour} />
                </div>
              </div>
              <label class="check">
                <input type="checkbox" name="off" value="1" checked={v.summaryOff} /> No weekly summary
              </label>
              <div class="actions">
                <button type="submit" class="quiet">
                  Save
                </button>
              </div>
            </Post>
          </section>

          <section class="card" aria-labelledby="pause-h">
            <h2 id="pause-h">Pause</h2>
            {v.remindersPausedUntil || v.summaryPausedUntil ? (
              <>
                <p>
                  {v.remindersPausedUntil ? `Reminders are paused ${v.remindersPausedUntil}. ` : ""}
                  {v.summaryPausedUntil ? `The weekly summary is paused ${v.summaryPausedUntil}.` : ""}
                </p>
                <Post action="/app/settings/resume" csrf={csrf} label="Resume">
                  <button type="submit">Resume everything</button>
                </Post>
              </>
            ) : (
              <Field action="/app/settings/pause" csrf={csrf} name="Pause" for="pause-for" label="Pause reminders and the summary" button="Pause">
                <select id="pause-for" name="for">
                  <option value="1 week">for a week</option>
                  <option value="2 weeks">for 2 weeks</option>
                  <option value="1 month">for a month</option>
                  <option value="">until I resume</option>
                </select>
              </Field>
            )}
          </section>
        </div>

        <div>
          <section class="card" aria-labelledby="addr-h">
            <h2 id="addr-h">Your addresses</h2>
            <ul class="plain">
              {v.addresses.map((a) => (
                <li class="row">
                  <span>
                    {a.email}
                    {a.email === u.email ? <span class="muted"> (primary)</span> : a.status === "pending" ? <span class="muted"> (waiting for confirmation)</span> : null}
                  </span>
                  {a.email === u.email ? null : (
                    <Post action="/app/settings/unalias" csrf={csrf} class="inline" label={`Remove ${a.email}`}>
                      <input type="hidden" name="address" value={a.email} />
                      <button type="submit" class="quiet">
                        Remove
                      </button>
                    </Post>
                  )}
                </li>
              ))}
            </ul>
            <Field action="/app/settings/alias" csrf={csrf} name="Add an address" for="alias" label="Add another address of yours" button="Add">
              <input type="email" id="alias" name="address" required maxlength={320} />
            </Field>
            <p class="muted">Kith mails the new address a link to confirm it.</p>
          </section>

          <section class="card" aria-labelledby="tokens-h">
            <h2 id="tokens-h">API tokens</h2>
            {v.tokens.length === 0 ? (
              <p class="muted">No tokens.</p>
            ) : (
              <ul class="people" aria-label="API tokens">
                {v.tokens.map((t) => (
                  <li class="row">
                    <span>
                      <strong>{t.name}</strong>
                      <span class="muted">
                        {" "}
                        · {t.scope === "read" ? "read only" : "read and write"} · made {day(t.created_at, props.v.zone, props.now)} · {t.used_at === null ? "never used" : `used ${day(t.used_at, props.v.zone, props.now)}`}
                      </span>
                    </span>
                    <Post action={`/app/settings/tokens/${t.id}/revoke`} csrf={csrf} class="inline" label={`Revoke ${t.name}`}>
                      <button type="submit" class="quiet">
                        Revoke
                      </button>
                    </Post>
                  </li>
                ))}
              </ul>
            )}
            <Post action="/app/settings/tokens" csrf={csrf} label="New API token">
              <label for="token-name">New token, named</label>
              <input type="text" id="token-name" name="name" required maxlength={80} placeholder="My script" />
              <label class="check">
                <input type="checkbox" name="read_only" value="1" /> Read only
              </label>
              <div class="actions">
                <button type="submit" class="quiet">
                  Create token
                </button>
              </div>
            </Post>
            <p class="muted">
              The API is described at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
            </p>
          </section>

          <section class="card" aria-labelledby="export-h">
            <h2 id="export-h">Take your data</h2>
            <ul class="plain">
              <li>
                <a href="/app/export/kith-contacts.vcf" download>
                  Contacts as vCard
                </a>{" "}
                <span class="muted">(phones, Apple and Google Contacts)</span>
              </li>
              <li>
                <a href="/app/export/kith-contacts.csv" download>
                  Contacts as CSV
                </a>{" "}
                <span class="muted">(Google Contacts import)</span>
              </li>
              <li>
                <a href="/app/export/kith-export.json" download>
                  Everything as JSON
                </a>
              </li>
            </ul>
          </section>

          <section class="card" aria-labelledby="session-h">
            <h2 id="session-h">Signed in as {u.email}</h2>
            <div class="actions">
              <Post action="/app/sign-out" csrf={csrf} class="inline" label="Sign out">
                <button type="submit" class="quiet">
                  Sign out
                </button>
              </Post>
              <Post action="/app/sign-out-everywhere" csrf={csrf} class="inline" label="Sign out everywhere">
                <button type="submit" class="quiet">
                  Sign out everywhere
                </button>
              </Post>
            </div>
          </section>

          <section class="card" aria-labelledby="delete-h">
            <h2 id="delete-h">Delete your account</h2>
            <p>Erase everything Kith holds for you. Download your data first if you want to keep it.</p>
            <a class="button danger" href="/app/settings/delete">
              Delete my account…
            </a>
          </section>
        </div>
      </div>
    </Layout>
  );
}

/** A new token: shown this once. */
export function TokenPage(props: { user: { email: string }; token: string; name: string; scope: "read" | "write" }) {
  return (
    <Layout title="Your new API token" user={props.user} section="settings">
      <div class="narrow card">
        <h1>Your new API token</h1>
        <p>
          “{props.name}”, {props.scope === "read" ? "read only" : "read and write"}. Copy it now: Kith keeps only a fingerprint of it and cannot show it again.
        </p>
        <code class="secret" id="token">
          {props.token}
        </code>
        <p>
          Send it as <code>Authorization: Bearer &lt;token&gt;</code> to <code>/api/v1</code>.
        </p>
        <p>
          <a href="/app/settings">Back to settings</a>
        </p>
      </div>
    </Layout>
  );
}

export function GonePage(props: { title: string; text: string }) {
  return (
    <Layout title={props.title}>
      <div class="narrow card">
        <h1>{props.title}</h1>
        <p role="status">{props.text}</p>
        <p>
          <a href="/app">Sign in</a>
        </p>
      </div>
    </Layout>
  );
}

export function NotFoundPage(props: { user: { email: string } | null }) {
  return (
    <Layout title="Not found" user={props.user}>
      <div class="narrow card">
        <h1>Not found</h1>
        <p>There is nothing here, or it is not yours.</p>
        <p>
          <a href="/app">Back to your people</a>
        </p>
      </div>
    </Layout>
  );
}
