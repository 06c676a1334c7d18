/**
 * AWS's CloudFormation resource specification as the built bundles read it: the per-namespace shards the build writes
 * beside them (`dist/cfn-spec/`, by `scripts/extractCfnSpec.mjs`), each read the first time a template uses its
 * namespace. The language server and `onus scan` share it. Where the shards are missing (the sources run without a
 * build) the specification knows no type, so hovers and unknown-property warnings simply say nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnSpec } from './cfnSpec';

/**
 * The folder of the shards: `cfn-spec/` beside the running bundle, or `ONUS_CFN_SPEC_DIR` (the footprint benchmark
 * names an empty folder there to measure the server without the specification).
 */
const SHARD_FOLDER = process.env.ONUS_CFN_SPEC_DIR ?? path.join(__dirname, 'cfn-spec');

/** The specification read from the bundle's shards, shared by everything in one process. */
export const bundledCfnSpec = new CfnSpec((fileName) => {
  try {
    return fs.readFileSync(path.join(SHARD_FOLDER, fileName), 'utf8');
  } catch {
    return undefined;
  }
});
