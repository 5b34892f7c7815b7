/**
 * The whole host's intake: at most `maxInFlight` activities being admitted at once. Past it the
 * host answers 503 with Retry-After at once, before it slows down for everyone (a channel retries).
 */
export class IntakeLimit {
  private inFlight = 0;

  constructor(private readonly maxInFlight: number) {}

  /** A release function when admitted, undefined when the host is at its limit. */
  enter(): (() => void) | undefined {
    if (this.inFlight >= this.maxInFlight) return undefined;
    this.inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
    };
  }

  get current(): number {
    return this.inFlight;
  }
}
