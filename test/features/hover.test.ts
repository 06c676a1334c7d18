/**
 * Hover at the `features/` API over the bundled rules and services catalog, with `/*|*\/` cursor markers and
 * `[|…|]` expected ranges.
 */
import * as assert from 'node:assert/strict';
import type { Hover } from 'vscode-languageserver';
import { provideHover } from '../../server/src/features/hover';
import { openFixture, parseMarkers, ruleSet } from './harness';

/** The hover at the cursor marker, with its markdown and the range's offsets. */
function hoverAt(source: string, name = 'main.tf'): { hover: Hover | null; markdown: string; range: { start: number; end: number } | undefined; expected: { start: number; end: number } | undefined } {
  const marked = parseMarkers(source);
  assert.ok(marked.cursor !== undefined, 'the source needs a /*|*/ marker');
  const fixture = openFixture(marked.text, name);
  const hover = provideHover(fixture.entry, ruleSet(), fixture.tracked, fixture.document.positionAt(marked.cursor));
  const markdown = hover ? (hover.contents as { value: string }).value : '';
  const range = hover?.range
    ? { start: fixture.document.offsetAt(hover.range.start), end: fixture.document.offsetAt(hover.range.end) }
    : undefined;
  return { hover, markdown, range, expected: marked.ranges[0] };
}

const cases: { name: string; source: string; file?: string; includes: (string | RegExp)[]; excludes?: (string | RegExp)[] }[] = [
  {
    name: 'an RDS attribute: customer-owned data layer under the service model, the provider side of os and physical',
    source: `resource "aws_db_instance" "db" {
  engine            = "postgres"
  [|storage_/*|*/encrypted|] = false
}
`,
    includes: [
      "**storage_encrypted** · `aws_db_instance.db` · Amazon RDS",
      "Encryption at rest: the **customer's** job (data layer) under Amazon RDS's *container* service model.",
      /The os layer is AWS's \(AWS patches the database host's OS/,
      "The physical layer is AWS's.",
      '| current | `false` |',
      '| secure | `true` |',
      /\[`aws-rds-storage-encryption`\]\(https:\/\/github\.com\/onus-dev\/onus\/blob\/main\/docs\/rules\/aws-rds-storage-encryption\.md\) · high · \*\*fires here\*\*/,
      '**RDS storage is not encrypted.** Set storage_encrypted = true',
      /\*Why:\* In RDS AWS runs the database engine/,
    ],
  },
  {
    name: 'an RDS resource header: the service model and a compact table of the six layers, then the rules',
    source: `[|resource "aws_db_/*|*/instance" "db" {|]
  storage_encrypted = true
}
`,
    includes: [
      '**aws_db_instance** `aws_db_instance.db` · Amazon RDS',
      /Service model: \*container\*/,
      '| data | identity | application | network | os | physical |',
      '| **customer** | **customer** | shared | shared | **AWS** | **AWS** |',
      /- \*data\*: The storage encryption flag/,
      /- \*os\*: AWS patches the database host's OS/,
      "The customer's duties here:",
      '- ✓ secure · **Encryption at rest** · data layer',
      '- ✓ secure · **Engine minor-version patching** · os layer',
      /Source: \[d1\.awsstatic\.com\/whitepapers\/Security\/AWS_Security_Best_Practices\.pdf\]/,
    ],
    excludes: [/Encryption at rest[^\n]*open/],
  },
  {
    name: 'a header with missing settings lists the findings there with their remediation',
    source: `resource "aws_db_instance" "db" /*|*/{
  engine = "postgres"
}
`,
    includes: [/- ✗ open · \*\*Encryption at rest\*\* · data layer — RDS storage is not encrypted, high \(\[`aws-rds-storage-encryption`\]\([^)]+\)\), quick fix available/],
  },
  {
    name: 'a value resolved from a variable default',
    source: `variable "encrypted" {
  default = false
}

resource "aws_db_instance" "db" {
  storage_encrypted = var.encr/*|*/ypted
}
`,
    includes: ['| current | `false` (resolved from a variable, local or tfvars) |', 'fires here'],
  },
  {
    name: 'an unknown value is said to be unknown, never guessed, and no rule fires there',
    source: `variable "encrypted" {}

resource "aws_db_instance" "db" {
  storage_/*|*/encrypted = var.encrypted
}
`,
    includes: ['| current | unknown here (depends on `var.encrypted`); Onus does not guess |', '| secure | `true` |'],
    excludes: ['fires here'],
  },
  {
    name: 'a nested block covers the settings below it',
    source: `resource "aws_s3_bucket" "b" {
  [|versi/*|*/oning|] {
    enabled = false
  }
}
`,
    includes: ['**versioning**', '| setting | `versioning.enabled` |', '| current | `false` |', '| secure | `true` |', 'aws-s3-versioning'],
  },
  {
    name: 'an attribute no rule reads',
    source: `resource "aws_db_instance" "db" {
  instance/*|*/_class = "db.t4g.micro"
}
`,
    includes: ['No Onus rule or catalog duty of Amazon RDS names `instance_class` of `aws_db_instance`.'],
  },
  {
    name: 'a setting only the catalog names: the duty it fulfils, its value and state',
    source: `resource "aws_lambda_function" "f" {
  function_name = "f"
  [|kms_key/*|*/_arn|] = "arn:aws:kms:eu-west-1:111122223333:key/k"
}
`,
    includes: [
      "Encryption of environment variables is the **customer's** duty (data layer) under AWS Lambda's *serverless* service model.",
      '| current | `"arn:aws:kms:eu-west-1:111122223333:key/k"` |',
      '| secure | set: `kms_key_arn` set fulfils the duty |',
      '| state | ✓ secure |',
    ],
  },
  {
    name: 'a resource type the catalog does not know: said honestly',
    source: `resource "aws_/*|*/gamelift_fleet" "f" {
}
`,
    includes: ['`aws_gamelift_fleet` is not in the Onus services catalog yet'],
    excludes: ['Service model'],
  },
  {
    name: 'a Bicep storage account: Microsoft as the owner, a gap for diagnostic settings',
    file: 'main.bicep',
    source: `resource st/*|*/g 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stg'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
}
`,
    includes: [
      'Azure Storage',
      '| **customer** | **customer** | shared | shared | **Microsoft** | **Microsoft** |',
      '- ⚠ gap · **Diagnostic settings (resource logs)** · data layer — nothing here fulfils it; a companion `Microsoft.Insights/diagnosticSettings` resource would',
      '- ○ provider default · **Encryption at rest** · data layer — Microsoft covers it by default',
    ],
  },
  {
    name: 'a CloudFormation bucket: its duties in CloudFormation terms',
    file: 'template.yaml',
    source: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Log/*|*/s:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
`,
    includes: ['Amazon S3', '- ✓ secure · **Versioning (recovery of overwritten and deleted objects)** · data layer', /- ✗ open · \*\*Access logging\*\* · data layer — S3 bucket has no server access logging/],
  },
  {
    name: 'a suppressed finding is shown with its reason',
    source: `# onus:ignore aws-rds-storage-encryption test data only
resource "aws_db_instance" "db" {
  storage_encrypted/*|*/ = false
}
`,
    includes: ['suppressed here', 'Suppressed: test data only'],
    excludes: ['fires here'],
  },
];

describe('features/hover', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { hover, markdown, range, expected } = hoverAt(c.source, c.file);
      assert.ok(hover, 'expected a hover');
      for (const needle of c.includes) {
        if (typeof needle === 'string') {
          assert.ok(markdown.includes(needle), `missing ${JSON.stringify(needle)} in:\n${markdown}`);
        } else {
          assert.match(markdown, needle);
        }
      }
      for (const needle of c.excludes ?? []) {
        if (typeof needle === 'string') {
          assert.ok(!markdown.includes(needle), `unexpected ${JSON.stringify(needle)} in:\n${markdown}`);
        } else {
          assert.doesNotMatch(markdown, needle);
        }
      }
      if (expected) {
        assert.deepEqual(range, expected);
      }
    });
  }

  const none: { name: string; source: string; file?: string }[] = [
    { name: 'outside any resource', source: `locals {\n  a/*|*/ = 1\n}\n` },
    { name: 'between resources', source: `resource "aws_s3_bucket" "a" {}\n/*|*/\nresource "aws_s3_bucket" "b" {}\n` },
    { name: 'a .tfvars file', source: `region/*|*/ = "x"\n`, file: 'prod.tfvars' },
  ];
  for (const c of none) {
    it(`gives no hover ${c.name}`, () => {
      assert.equal(hoverAt(c.source, c.file).hover, null);
    });
  }
});
