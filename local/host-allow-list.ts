/**
 * The Host header names this host answers to: the loopback names and, when set, PUBLIC_HOST (the
 * name a channel reaches it by) and the bound address. Any other name is a DNS-rebinding attempt:
 * a page on another origin whose name was made to resolve to 127.0.0.1 would otherwise read the
 * dashboard (customers' messages) as its own.
 */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export function allowedHosts(options: { publicHost?: string | undefined; bindHost: string }): (hostHeader: string | undefined) => boolean {
  const names = new Set(LOOPBACK_NAMES);
  const exact = new Set<string>();
  if (options.publicHost) {
    const lower = options.publicHost.toLowerCase();
    if (lower.includes(':')) exact.add(lower);
    else names.add(lower);
  }
  const bind = options.bindHost.toLowerCase();
  if (bind !== '0.0.0.0' && bind !== '::') names.add(bind.includes(':') ? `[${bind}]` : bind);
  return (hostHeader) => {
    if (!hostHeader) return false;
    const host = hostHeader.trim().toLowerCase();
    if (exact.has(host)) return true;
    const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(host);
    return match !== null && names.has(match[1] ?? '');
  };
}

/** Headers every response of the local host carries: no framing, no sniffing, nothing loaded from elsewhere. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};
