/**
 * What every language's evaluation shares: where a value is placed, the limits on what it builds, and the step
 * budget that bounds one lowering.
 */
import type { Span } from '../text/span';
import { WorkCounter } from '../text/workCounter';

/** The largest template the CloudFormation lowering reads; larger ones get an informational diagnostic instead. */
export const MAX_TEMPLATE_LENGTH = 8 * 1024 * 1024;

/** The deepest value tree the evaluator builds; deeper parts become unknown. */
export const MAX_VALUE_DEPTH = 64;

/** The longest string the evaluator builds; longer results become unknown. */
export const MAX_STRING_LENGTH = 1 << 20;

/** Where a value is placed: its file and span. */
export interface Place {
  file: string;
  span: Span;
}

/** A shared step counter bounding all evaluation work of one lowering, so hostile input cannot hang it. */
export class Budget {
  private remaining: number;

  /** Creates a budget of `steps` units of work. */
  constructor(steps: number) {
    this.remaining = steps;
  }

  /** Spends `units` of work; returns false (and stays exhausted) once the budget is used up. */
  charge(units = 1): boolean {
    WorkCounter.evaluator += units;
    this.remaining -= units;
    return this.remaining >= 0;
  }

  /** Whether the budget has been used up. */
  get isExhausted(): boolean {
    return this.remaining < 0;
  }
}
