import { CsrfField } from '../layout.js';

/** The token form: on success a SameSite=Strict, HttpOnly cookie derived from the token. */
export function LoginPage({ base, csrf, next, failed }: { base: string; csrf: string; next: string; failed: boolean }) {
  return (
    <form method="post" action={`${base}/login`}>
      <CsrfField token={csrf} />
      <input type="hidden" name="next" value={next} />
      {failed ? (
        <p class="notice failed" role="alert">
          Wrong token.
        </p>
      ) : null}
      <label for="token">Console token</label>
      <input id="token" name="token" type="password" autocomplete="current-password" />
      <button type="submit">Log in</button>
    </form>
  );
}
