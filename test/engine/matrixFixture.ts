/**
 * The matrix test workspace (`test/fixtures/matrix/`: Terraform, CloudFormation and Bicep) and a services catalog
 * with customer duties for it, shared by the engine, CLI and browser tests of the Responsibility Matrix.
 */
import * as path from 'node:path';
import { scanPaths } from '../../server/src/cli/scan';
import { loadBundledRuleSet } from '../../server/src/engine/loadRules';
import { buildMatrix, type CatalogDuty, type MatrixUnit } from '../../server/src/engine/matrix';
import type { MatrixData } from '../../server/src/engine/matrixData';
import type { RuleSet, Service } from '../../server/src/engine/ruleSet';

/** The fixture workspace. */
export const MATRIX_WORKSPACE = path.resolve(__dirname, '..', 'fixtures', 'matrix');

/** The duties the tests give the catalog's services (the shape of `duties` in `rules/services/*.yaml`). */
export const FIXTURE_DUTIES: Record<string, CatalogDuty[]> = {
  'aws/s3': [
    {
      id: 'access-logging',
      name: 'Access logging',
      layer: 'data',
      providerDefault: false,
      rules: ['aws-s3-access-logging'],
      fulfilledBy: { terraform: ['logging', 'resource:aws_s3_bucket_logging'], cloudformation: ['LoggingConfiguration'] },
    },
    {
      id: 'replication',
      name: 'Cross-region replication',
      layer: 'data',
      providerDefault: false,
      fulfilledBy: {
        terraform: ['replication_configuration', 'resource:aws_s3_bucket_replication_configuration'],
        cloudformation: ['ReplicationConfiguration'],
      },
      note: 'A copy in a second region survives the loss of the first',
    },
    { id: 'default-encryption', name: 'Default encryption at rest', layer: 'data', providerDefault: true },
  ],
  'aws/rds': [
    {
      id: 'backup-retention',
      name: 'Backup retention',
      layer: 'data',
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
      providerDefault: false,
      fulfilledBy: { bicep: ['resource:Microsoft.Insights/diagnosticSettings'], terraform: ['resource:azurerm_monitor_diagnostic_setting'] },
    },
  ],
};

/** The bundled catalog with {@link FIXTURE_DUTIES} in place of the services' own duties. */
export function fixtureRuleSet(): RuleSet {
  const base = loadBundledRuleSet();
  const services = base.services.map((s): Service => ({ ...s, duties: FIXTURE_DUTIES[s.id] ?? [] }) as Service);
  return { ...base, services };
}

/** Scans folders as `onus matrix` does and builds the matrix with the given rules and catalog. */
export function matrixOf(folders: string[], ruleSet: RuleSet): MatrixData {
  const units: MatrixUnit[] = [];
  const result = scanPaths(folders, { rules: ruleSet, today: '2026-01-01' }, (analysis, isReported) => units.push({ analysis, isReported }));
  return buildMatrix(units, ruleSet, result.fileCount);
}
