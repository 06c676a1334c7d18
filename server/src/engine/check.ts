/**
 * The typed interface of a rule's escape hatch: `rule.ts` exports `check(ctx)` for checks that data cannot express.
 */
import type { Entry, Model, Resource, Value } from '../model/types';

/** What a `check` function may report. */
export interface CheckReport {
  /** Where the finding points: a value, an entry (its value's span), or undefined for the resource's first line. */
  at?: Value | Entry | undefined;
  /** Overrides the rule's message. */
  message?: string;
}

/** What a `check` function sees: one resource of a targeted type, its whole model, and a way to report. */
export interface CheckContext {
  resource: Resource;
  model: Model;
  report(report: CheckReport): void;
}

/** The signature of `check` in a rule's `rule.ts`. */
export type CheckFunction = (ctx: CheckContext) => void;
