/**
 * Counts the units of work the lexers, parsers, evaluators and rule engine do, so that a test can bound the work an
 * input causes by its size, deterministically (steps, not time). Counting is a few additions per token or value and
 * is always on; nothing reads the counts at run time.
 */

/** Units of work per stage since the last {@link WorkCounter.reset}. */
export const WorkCounter = {
  /** Tokens emitted by the HCL and Bicep lexers. */
  lexer: 0,
  /** Token look-ups by the HCL and Bicep parsers, and nodes converted from YAML and JSON. */
  parser: 0,
  /** Steps charged to an evaluation budget (Terraform, Bicep) or taken by CloudFormation's evaluation. */
  evaluator: 0,
  /** Resource and path visits by the rule engine. */
  rules: 0,
  /** The count of `rules` at which the rule being evaluated is abandoned (see {@link WorkCounter.chargeRule}). */
  ruleLimit: Infinity,

  /** Counts one step of the rule engine; throws {@link StepBudgetExceeded} once the rule's budget is spent. */
  chargeRule(): void {
    if (++WorkCounter.rules > WorkCounter.ruleLimit) {
      WorkCounter.ruleLimit = Infinity;
      throw new StepBudgetExceeded();
    }
  },

  /** Sets every count to zero. */
  reset(): void {
    WorkCounter.lexer = 0;
    WorkCounter.parser = 0;
    WorkCounter.evaluator = 0;
    WorkCounter.rules = 0;
  },

  /** The sum of every count. */
  total(): number {
    return WorkCounter.lexer + WorkCounter.parser + WorkCounter.evaluator + WorkCounter.rules;
  },
};

/**
 * Thrown by {@link WorkCounter.chargeRule} when a rule has spent its step budget on one document: the engine
 * abandons that rule for the document and reports it (the only exception used for control flow, since the steps are
 * counted deep inside path and condition evaluation).
 */
export class StepBudgetExceeded extends Error {
  constructor(message = 'the rule exceeded its step budget') {
    super(message);
    this.name = 'StepBudgetExceeded';
  }
}
