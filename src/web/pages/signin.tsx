import { Layout, Notice, Post } from "./layout";

/** Signed out: the address form; after it, the same answer whoever asked. */

export function SignInPage(props: { csrf: string; notice?: string | null; error?: boolean }) {
  return (
    <Layout title="Sign in">
      <div class="narrow card">
        <h1>Sign in to Kith</h1>
        <Notice text={props.notice} error={props.error} />
        <p>Kith mails you a link that signs you in. No password.</p>
        <Post action="/app/sign-in" csrf={props.csrf} label="Sign in">
          <label for="email">Your address</label>
          <input type="email" id="email" name="email" autocomplete="email" required />
          <div class="actions">
            <button type="submit">Mail me a sign-in link</button>
          </div>
        </Post>
        <p class="muted">You can also mail “login” to Kith.</p>
      </div>
    </Layout>
  );
}

export function CheckMailPage() {
  return (
    <Layout title="Check your mail">
      <div class="narrow card">
        <h1>Check your mail</h1>
        <p role="status">If that address has a Kith account, a sign-in link is on its way. It works once, for 15 minutes.</p>
        <p>
          <a href="/app">Back</a>
        </p>
      </div>
    </Layout>
  );
}

/** What a sign-in link opens: a button, so that a mail scanner's GET signs no one in. */
export function ConfirmSignInPage(props: { csrf: string; email: string; action: string }) {
  return (
    <Layout title="Sign in">
      <div class="narrow card">
        <h1>Sign in to Kith</h1>
        <p>
          Sign in as <strong>{props.email}</strong> on this device?
        </p>
        <Post action={props.action} csrf={props.csrf} label="Confirm sign-in">
          <button type="submit">Sign in</button>
        </Post>
      </div>
    </Layout>
  );
}

export function DeadLinkPage() {
  return (
    <Layout title="Link used or expired">
      <div class="narrow card">
        <h1>This link no longer works</h1>
        <p>A sign-in link works once, for 15 minutes. Ask for a new one.</p>
        <p>
          <a class="button" href="/app">
            Ask for a new link
          </a>
        </p>
      </div>
    </Layout>
  );
}
