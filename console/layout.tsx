import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

export interface LayoutProps {
  base: string;
  title: string;
  staff: string;
  ports?: Record<string, string> | undefined;
  children?: Child;
}

/** Every console page: one style sheet and one script from the console's own assets (strict CSP). */
export function Layout({ base, title, staff, ports, children }: LayoutProps) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · talkback console`}</title>
        <link rel="stylesheet" href={`${base}/assets/console.css`} />
        <script src={`${base}/assets/console.js`} defer></script>
      </head>
      <body>
        <header>
          <strong>talkback</strong>
          <nav aria-label="Console">
            <a href={`${base}/interactions`}>Interactions</a>
            <a href={`${base}/dead-letters`}>Dead letters</a>
            <a href={`${base}/refused`}>Refused</a>
            <a href={`${base}/erase`}>Erase</a>
          </nav>
        </header>
        <main>
          <h1>{title}</h1>
          {children}
        </main>
        <footer>
          Times in your time zone (<span id="time-zone">local</span>). Signed in as {staff}.
          {ports ? ` Adapters: ${Object.entries(ports).map(([k, v]) => `${k}: ${v}`).join(' · ')}` : ''}
        </footer>
      </body>
      </html>
    </>
  );
}

/** A time the script shows in the viewer's zone; without script it reads as UTC ISO. */
export function LocalTime({ iso }: { iso: string | undefined }) {
  if (iso === undefined) return <span class="muted">—</span>;
  return (
    <time datetime={iso} data-local="">
      {iso}
    </time>
  );
}

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}
