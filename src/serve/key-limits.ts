import type { GatewayKey } from "./gateway-keys.ts";
import { GatewayError } from "./openai-errors.ts";

// Per-key caps. Requests per minute: a token bucket holding a minute's worth, refilled
// continuously, so a key may burst up to its cap and then gets one request per 60/cap seconds.
// Spend per UTC day: the costs of the key's answers (every upstream call a request paid for,
// fallbacks and a router's own calls included), known only once a request is answered, so the
// request that crosses the cap is served and the next ones get 429 until midnight UTC. Counts are
// per gateway process: with several instances, give each its share of the caps.

const DAY_MS = 86_400_000;

interface KeyState {
  tokens: number;
  refilledAt: number;
  day: number;
  spentUsd: number;
}

export class KeyLimits {
  private readonly state = new Map<string, KeyState>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes one request from the key's allowance, or returns the 429 to answer (with Retry-After). */
  admit(key: GatewayKey): GatewayError | undefined {
    if (key.requestsPerMinute === undefined && key.usdPerDay === undefined) return undefined;
    const now = this.now();
    const s = this.stateOf(key, now);
    if (key.usdPerDay !== undefined && s.spentUsd >= key.usdPerDay) {
      const wait = Math.ceil(((s.day + 1) * DAY_MS - now) / 1000);
      return limited(
        `key "${key.name}" reached its spend cap of $${key.usdPerDay} for today (UTC); it resets at midnight UTC`,
        "insufficient_quota",
        "spend_cap_reached",
        wait,
      );
    }
    const rpm = key.requestsPerMinute;
    if (rpm === undefined) return undefined;
    s.tokens = Math.min(rpm, s.tokens + ((now - s.refilledAt) * rpm) / 60_000);
    s.refilledAt = now;
    if (s.tokens < 1) {
      const wait = Math.ceil(((1 - s.tokens) * 60) / rpm);
      return limited(
        `key "${key.name}" is over its rate cap of ${rpm} requests per minute`,
        "requests",
        "rate_limit_exceeded",
        wait,
      );
    }
    s.tokens -= 1;
    return undefined;
  }

  /** Adds an answered request's cost to the key's spend today. */
  charge(key: GatewayKey, usd: number): void {
    if (key.usdPerDay === undefined || !(usd > 0)) return;
    this.stateOf(key, this.now()).spentUsd += usd;
  }

  spentTodayUsd(key: GatewayKey): number {
    return this.stateOf(key, this.now()).spentUsd;
  }

  private stateOf(key: GatewayKey, now: number): KeyState {
    const day = Math.floor(now / DAY_MS);
    let s = this.state.get(key.name);
    if (!s) {
      s = { tokens: key.requestsPerMinute ?? 0, refilledAt: now, day, spentUsd: 0 };
      this.state.set(key.name, s);
    }
    if (s.day !== day) {
      s.day = day;
      s.spentUsd = 0;
    }
    return s;
  }
}

function limited(message: string, type: string, code: string, retryAfterS: number): GatewayError {
  const seconds = String(Math.max(1, retryAfterS));
  return new GatewayError(429, message, type, code, null, { "retry-after": seconds });
}
