/**
 * The language server's copy of AWS's CloudFormation resource specification: the bundle's shards
 * (`engine/cfnSpecShards.ts`), shared by diagnostics, hovers and code actions.
 */
import { bundledCfnSpec } from '../engine/cfnSpecShards';

/** The specification, shared by diagnostics, hovers and code actions. */
export const cfnSpec = bundledCfnSpec;
