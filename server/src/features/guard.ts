/**
 * The one error boundary every LSP handler and notification runs through (STYLE.md section 8).
 *
 * Invariant: a handler that throws (or whose promise rejects) never reaches the connection: the guard logs the
 * stack once per handler name per session and returns the handler's fallback (`[]`, `null`), so the editor sees an
 * empty answer instead of an error popup and the server keeps serving.
 */

/** Where the guard writes; the server passes `connection.console.error`. */
export type GuardLogger = (message: string) => void;

/** Runs `fn`; on a throw or a rejection, logs once per `name` and returns `fallback`. */
export type Guard = <T>(name: string, fallback: T, fn: () => T) => T;

/** A guard with its own memory of which handler names have already logged. */
export interface GuardWithStats {
  guard: Guard;
  /** How many failures each handler name has had this session (for tests and the output channel). */
  failures: Map<string, number>;
}

/** Describes an unknown thrown value with its stack when it has one. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    return error.stack ?? `${error.name}: ${error.message}`;
  }
  try {
    return `non-Error thrown: ${JSON.stringify(error)}`;
  } catch {
    return `non-Error thrown: ${String(error)}`;
  }
}

/** Creates the server's guard; stacks are logged the first time each handler name fails, later failures are counted. */
export function createGuard(log: GuardLogger): GuardWithStats {
  const failures = new Map<string, number>();
  const report = (name: string, error: unknown): void => {
    const count = (failures.get(name) ?? 0) + 1;
    failures.set(name, count);
    if (count === 1) {
      try {
        log(`[onus] ${name} failed (further failures of ${name} are counted, not logged):\n${describeError(error)}`);
      } catch {
        // A broken logger must not turn a handled failure into an unhandled one.
      }
    }
  };
  const guard = <T>(name: string, fallback: T, fn: () => T): T => {
    try {
      const result = fn();
      if (isPromiseLike(result)) {
        return Promise.resolve(result).catch((error: unknown) => {
          report(name, error);
          return awaitedFallback(fallback);
        }) as T;
      }
      return result;
    } catch (error) {
      report(name, error);
      return fallback;
    }
  };
  return { guard, failures };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** An async handler's fallback is given as the awaited value or as a promise of it; either way resolve to the value. */
function awaitedFallback<T>(fallback: T): unknown {
  return isPromiseLike(fallback) ? Promise.resolve(fallback).catch(() => null) : fallback;
}
