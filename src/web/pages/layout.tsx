import type { Child } from "hono/jsx";

/** Every page: a skip link, the header with the signed-in user's navigation, one main. */

export type Section = "people" | "due" | "settings";

export function Layout(props: { title: string; user?: { email: string } | null; section?: Section; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="robots" content="noindex" />
        <meta name="color-scheme" content="light dark" />
        <title>{props.title} · Kith</title>
        <link rel="stylesheet" href="/app/app.css" />
      </head>
      <body>
        <a class="skip" href="#main">Skip to the content</a>
        <header class="top">
          <a class="brand" href="/app">
            Kith
          </a>
          {props.user ? (
            <nav aria-label="Kith">
              <a href="/app" aria-current={props.section === "people" ? "page" : undefined}>
                People
              </a>
              <a href="/app/due" aria-current={props.section === "due" ? "page" : undefined}>
                Due
              </a>
              <a href="/app/settings" aria-current={props.section === "settings" ? "page" : undefined}>
                Settings
              </a>
            </nav>
          ) : null}
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}

/** A POST form with its CSRF token: every form that changes something is one. */
export function Post(props: { action: string; csrf: string; class?: string; children: Child; label?: string }) {
  return (
    <form method="post" action={props.action} class={props.class} aria-label={props.label}>
      <input type="hidden" name="csrf" value={props.csrf} />
      {props.children}
    </form>
  );
}

export function Notice(props: { text?: string | null; error?: boolean }) {
  if (!props.text) return null;
  return (
    <p class={props.error ? "notice error" : "notice"} role="status">
      {props.text}
    </p>
  );
}

/** One value and its button in a row, under its label: most of the small forms. `name`
 * is the form's accessible name (the label's words when left out). */
export function Field(props: { action: string; csrf: string; for: string; label: string; button: string; name?: string; children: Child }) {
  return (
    <Post action={props.action} csrf={props.csrf} label={props.name ?? props.label}>
      <label for={props.for}>{props.label}</label>
      <div class="row">
        {props.children}
        <button type="submit" class="quiet">
          {props.button}
        </button>
      </div>
    </Post>
  );
}
