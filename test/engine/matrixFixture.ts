/**
 * The matrix test workspace (`test/fixtures/matrix/`: Terraform, CloudFormation and Bicep) and a services catalog
 * with customer duties for it, shared by the engine, CLI and browser tests of the Responsibility Matrix.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { scanPaths } from '../../server/src/cli/scan';
import { loadBundledRuleSet } from '../../server/src/engine/loadRules';
import { buildMatrix, type MatrixUnit } from '../../server/src/engine/matrix';
import type { MatrixData } from '../../server/src/engine/matrixData';
import type { Duty, RuleSet, Service } from '../../server/src/engine/ruleSet';

/** The fixture workspace. */
export const MATRIX_WORKSPACE = path.resolve(__dirname, '..', 'fixtures', 'matrix');

/**
 * The duties the tests give the catalog's services in place of the catalog's own (the shape of `duties` in
 * `rules/services/*.yaml`), so the engine tests do not move when the catalog grows.
 */
const BUCKETS = { terraform: ['aws_s3_bucket'], cloudformation: ['AWS::S3::Bucket'] };

export const FIXTURE_DUTIES: Record<string, Duty[]> = {
  'aws/s3': [
    {
      id: 'access-logging',
      name: 'Access logging',
      layer: 'data',
      appliesTo: BUCKETS,
      providerDefault: false,
      rules: ['aws-s3-access-logging'],
      fulfilledBy: { terraform: ['logging', 'resource:aws_s3_bucket_logging'], cloudformation: ['LoggingConfiguration'] },
    },
    {
      id: 'replication',
      name: 'Cross-region replication',
      layer: 'data',
      appliesTo: BUCKETS,
      providerDefault: false,
      fulfilledBy: {
        terraform: ['replication_configuration', 'resource:aws_s3_bucket_replication_configuration'],
        cloudformation: ['ReplicationConfiguration'],
      },
      note: 'A copy in a second region survives the loss of the first',
    },
    { id: 'default-encryption', name: 'Default encryption at rest', layer: 'data', appliesTo: BUCKETS, providerDefault: true },
  ],
  'aws/rds': [
    {
      id: 'backup-retention',
      name: 'Backup retention',
      layer: 'data',
      appliesTo: { terraform: ['aws_db_instance'], cloudformation: ['AWS::RDS::DBInstance'] },
      providerDefault: false,
      rules: ['aws-rds-backup-retention'],
      fulfilledBy: { terraform: ['backup_retention_period'], cloudformation: ['BackupRetentionPeriod'] },
    },
  ],
  'azure/storage': [
    {
      id: 'diagnostic-settings',
      name: 'Diagnostic settings',
      layer: 'data',
      appliesTo: { bicep: ['Microsoft.Storage/storageAccounts'], terraform: ['azurerm_storage_account'] },
      providerDefault: false,
      fulfilledBy: { bicep: ['resource:Microsoft.Insights/diagnosticSettings'], terraform: ['resource:azurerm_monitor_diagnostic_setting'] },
    },
  ],
};

/** The rules the tests run: a fixed part of the catalog, so the expected findings do not move when it grows. */
export const FIXTURE_RULES = [
  'aws-s3-access-logging',
  'aws-s3-versioning',
  'aws-s3-bucket-public-access-block',
  'aws-s3-public-acl',
  'aws-rds-backup-retention',
  'aws-rds-public-access',
  'aws-rds-storage-encryption',
  'azure-storage-https-only',
  'azure-storage-min-tls',
  'azure-storage-public-network-access',
  'azure-storage-shared-key-access',
  'azure-storage-blob-public-access',
];

/** {@link FIXTURE_RULES} of the bundled catalog, with {@link FIXTURE_DUTIES} in place of the services' own duties. */
export function fixtureRuleSet(): RuleSet {
  const base = loadBundledRuleSet();
  const rules = base.rules.filter((r) => FIXTURE_RULES.includes(r.id));
  assert.equal(rules.length, FIXTURE_RULES.length, 'every fixture rule is in the catalog');
  const services = base.services.map((s): Service => ({ ...s, duties: FIXTURE_DUTIES[s.id] ?? [] }));
  return { rules, byId: new Map(rules.map((r) => [r.id, r])), services };
}

/** Scans folders as `onus matrix` does and builds the matrix with the given rules and catalog. */
export function matrixOf(folders: string[], ruleSet: RuleSet): MatrixData {
  const units: MatrixUnit[] = [];
  const result = scanPaths(folders, { rules: ruleSet, today: '2026-01-01' }, (analysis, isReported) => units.push({ analysis, isReported }));
  return buildMatrix(units, ruleSet, result.fileCount);
}
