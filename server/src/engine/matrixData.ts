/**
 * The Responsibility Matrix as plain data: the shape `onus matrix --format json` prints, the language server sends
 * to the editor (`onus/matrix`), and every renderer (Markdown, CSV, HTML) reads. Version 1.
 *
 * Invariant: this file imports nothing at run time (the VS Code client bundles it with the renderers), and the shape
 * only grows: a field is never renamed or removed within a version.
 */

/** The six layers, in the order the matrix's columns show them. */
export const MATRIX_LAYERS = ['data', 'identity', 'application', 'network', 'os', 'physical'] as const;

/** One layer id. */
export type MatrixLayer = (typeof MATRIX_LAYERS)[number];

/** Who owns a layer of a service. */
export type MatrixOwner = 'customer' | 'provider' | 'shared';

/**
 * The state of one cell:
 * - `open`: at least one finding is reported on a resource of the service at this layer;
 * - `gap`: no finding, but a customer duty of the catalog is fulfilled by nothing in the code and the provider does
 *   not cover it by default (a responsibility gap);
 * - `secure`: the customer's side was checked (a rule ran or a duty is fulfilled) and nothing is open;
 * - `unchecked`: the customer's (or shared) layer, but no rule or duty of Onus applies to these resources there;
 * - `provider`: the provider's layer, with nothing open on the customer's side of it.
 */
export type CellState = 'open' | 'gap' | 'secure' | 'unchecked' | 'provider';

/**
 * The state of one duty on one resource (as `engine/duties.ts` decides it): open (a finding of its rules), accepted
 * (that finding suppressed), secure (fulfilled, or checked by its rules), provider (covered by default), gap, unknown.
 */
export type DutyState = 'open' | 'accepted' | 'secure' | 'provider' | 'gap' | 'unknown';

/** A place in a file (1-based line and column). */
export interface MatrixLocation {
  file: string;
  line: number;
  column: number;
}

/** One resource of a service in the inventory. */
export interface MatrixResource extends MatrixLocation {
  /** The resource's address in its unit (`aws_s3_bucket.logs`, a CloudFormation logical id, a Bicep symbol). */
  address: string;
  type: string;
  format: 'terraform' | 'cloudformation' | 'bicep';
}

/** One open finding shown in a cell. */
export interface MatrixFinding extends MatrixLocation {
  ruleId: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  message: string;
  resource: string;
}

/** One responsibility gap: a duty that nothing fulfils on one resource. */
export interface MatrixGap extends MatrixLocation {
  dutyId: string;
  duty: string;
  resource: string;
  resourceType: string;
  /** What would fulfil it in the resource's language: a setting path, or `resource:<type>` for a companion resource. */
  fulfilledBy: string[];
  note?: string;
}

/** How one duty of the catalog stands across the service's resources. */
export interface MatrixDutySummary {
  id: string;
  name: string;
  providerDefault: boolean;
  /** Resources per state (only states that occur). */
  counts: Partial<Record<DutyState, number>>;
}

/** One cell: a service at one layer. */
export interface MatrixCell {
  layer: MatrixLayer;
  owner: MatrixOwner;
  /** The catalog's note where the split is conditional. */
  note?: string;
  state: CellState;
  findings: MatrixFinding[];
  gaps: MatrixGap[];
  duties: MatrixDutySummary[];
  /** How many findings suppressed in the code (accepted with a reason) fall in this cell. */
  suppressed: number;
}

/** One service in use: a row. */
export interface MatrixService {
  id: string;
  name: string;
  /** The provider's own classification (iaas, paas, abstracted, container, serverless, database, …). */
  model: string;
  sources: string[];
  resources: MatrixResource[];
  /** One cell per layer, in {@link MATRIX_LAYERS} order. */
  cells: MatrixCell[];
}

/** The services of one provider. */
export interface MatrixProvider {
  id: 'aws' | 'azure' | 'gcp';
  name: string;
  services: MatrixService[];
}

/** Resources whose type the services catalog does not list yet. */
export interface MatrixUnlistedType {
  type: string;
  format: MatrixResource['format'];
  resources: MatrixResource[];
}

/** The whole matrix. */
export interface MatrixData {
  version: 1;
  layers: MatrixLayer[];
  providers: MatrixProvider[];
  unlisted: MatrixUnlistedType[];
  summary: {
    files: number;
    services: number;
    resources: number;
    openFindings: number;
    gaps: number;
    /** Cells per state. */
    cells: Record<CellState, number>;
  };
}

/** Helpers for {@link MatrixData}. */
export namespace MatrixData {
  /** A copy with every file path passed through `map` (to print paths relative to a folder). */
  export function mapFiles(matrix: MatrixData, map: (file: string) => string): MatrixData {
    const located = <T extends MatrixLocation>(x: T): T => ({ ...x, file: map(x.file) });
    return {
      ...matrix,
      providers: matrix.providers.map((p) => ({
        ...p,
        services: p.services.map((s) => ({
          ...s,
          resources: s.resources.map(located),
          cells: s.cells.map((c) => ({ ...c, findings: c.findings.map(located), gaps: c.gaps.map(located) })),
        })),
      })),
      unlisted: matrix.unlisted.map((u) => ({ ...u, resources: u.resources.map(located) })),
    };
  }

  /** How a provider is named in the matrix. */
  export function providerTitle(id: MatrixProvider['id']): string {
    switch (id) {
      case 'aws':
        return 'AWS';
      case 'azure':
        return 'Azure';
      case 'gcp':
        return 'Google Cloud';
    }
  }

  /** A cell's state in words, for every renderer. */
  export function stateLabel(cell: Pick<MatrixCell, 'state' | 'findings' | 'gaps'>): string {
    switch (cell.state) {
      case 'open':
        return `${cell.findings.length} open${cell.gaps.length > 0 ? `, ${cell.gaps.length} gap${cell.gaps.length === 1 ? '' : 's'}` : ''}`;
      case 'gap':
        return `${cell.gaps.length} gap${cell.gaps.length === 1 ? '' : 's'}`;
      case 'secure':
        return 'secure';
      case 'unchecked':
        return 'not checked';
      case 'provider':
        return 'provider';
    }
  }
}
