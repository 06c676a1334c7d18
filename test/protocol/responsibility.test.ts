/**
 * The responsibility split through the protocol: hovers on resources of six services (an EC2 instance, an RDS
 * instance, an S3 bucket, a Lambda function, an Azure storage account, a GKE cluster) each say who secures which
 * layer, which duties are the customer's and where they stand, and name the source; code lenses sum up each
 * resource's customer side and go away when the setting turns them off.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ensureBuilt, makeFolder, positionOf, removeFolder, TestClient, uriOf } from './lspClient';

const FILES: Record<string, { text: string; languageId: string }> = {
  'ec2.tf': {
    languageId: 'terraform',
    text: `resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  associate_public_ip_address = true
}
`,
  },
  'rds.tf': {
    languageId: 'terraform',
    text: `resource "aws_db_instance" "db" {
  engine                     = "postgres"
  instance_class             = "db.t3.micro"
  storage_encrypted          = true
  auto_minor_version_upgrade = false
}
`,
  },
  's3.tf': {
    languageId: 'terraform',
    text: `resource "aws_s3_bucket" "assets" {
  bucket = "assets"
}

resource "aws_s3_bucket_logging" "assets" {
  bucket        = aws_s3_bucket.assets.id
  target_bucket = "audit-logs"
  target_prefix = "assets/"
}
`,
  },
  'lambda.tf': {
    languageId: 'terraform',
    text: `resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::111122223333:role/api"
  runtime       = "python3.12"
  handler       = "app.handler"
}
`,
  },
  'storage.bicep': {
    languageId: 'bicep',
    text: `resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stgassets'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
  }
}
`,
  },
  'gke.tf': {
    languageId: 'terraform',
    text: `resource "google_container_cluster" "main" {
  name     = "main"
  location = "europe-west1"
}
`,
  },
};

/** What a header hover must say, in the words a user reads, and what it must not. */
const HOVERS: { name: string; file: string; at: string; includes: (string | RegExp)[]; excludes?: (string | RegExp)[] }[] = [
  {
    name: 'an EC2 instance: IaaS, every layer but the physical one is the customer\'s, the guest OS a gap',
    file: 'ec2.tf',
    at: 'aws_instance',
    includes: [
      'Amazon EC2',
      'Service model: *iaas*',
      '| **customer** | **customer** | **customer** | **customer** | **customer** | **AWS** |',
      '- *os*: The guest OS is the customer\'s to patch; AWS patches the host OS and hypervisor',
      '- ✗ open · **No public IP address** · network layer — EC2 instance is given a public IP address',
      '- ⚠ gap · **Guest OS patching** · os layer — nothing here fulfils it; a companion `aws_ssm_association` resource would',
      '[aws.amazon.com/compliance/shared-responsibility-model](https://aws.amazon.com/compliance/shared-responsibility-model/)',
    ],
  },
  {
    name: 'an RDS instance: a container service, AWS owns the OS, engine patching switched off by the customer',
    file: 'rds.tf',
    at: 'aws_db_instance',
    includes: [
      'Amazon RDS',
      'Service model: *container*',
      '| **customer** | **customer** | shared | shared | **AWS** | **AWS** |',
      /- \*os\*: AWS patches the database host's OS; engine minor versions apply automatically only when auto minor version upgrade is on/,
      '- ✓ secure · **Encryption at rest** · data layer',
      /- ✗ open · \*\*Engine minor-version patching\*\* · os layer — RDS automatic minor version upgrades are turned off/,
      'Source: [d1.awsstatic.com/whitepapers/Security/AWS_Security_Best_Practices.pdf]',
      /How Azure's and Google's managed databases differ|Amazon RDS and Azure's and Google's managed databases split the same way/,
    ],
    excludes: ['Guest OS patching'],
  },
  {
    name: 'an S3 bucket: abstracted, AWS owns the network and OS, logging fulfilled by a companion, encryption by default',
    file: 's3.tf',
    at: 'aws_s3_bucket',
    includes: [
      'Amazon S3',
      'Service model: *abstracted*',
      '| **customer** | **customer** | shared | **AWS** | **AWS** | **AWS** |',
      '- ✓ secure · **Access logging** · data layer',
      '- ○ provider default · **Encryption at rest** · data layer — AWS covers it by default: S3 encrypts every new object with S3-managed keys (SSE-S3) since January 2023',
      /- ✗ open · \*\*Versioning \(recovery of overwritten and deleted objects\)\*\* · data layer — S3 bucket versioning is not enabled/,
      'Source: [aws.amazon.com/compliance/shared-responsibility-model]',
    ],
    excludes: [/Access logging[^\n]*open/, 'Guest OS patching'],
  },
  {
    name: 'a Lambda function: serverless, the runtime patched by Lambda in Auto mode, the code and its secrets the customer\'s',
    file: 'lambda.tf',
    at: 'aws_lambda_function',
    includes: [
      'AWS Lambda',
      'Service model: *serverless*',
      '| **customer** | **customer** | **customer** | shared | shared | **AWS** |',
      '- ○ provider default · **Runtime patching** · os layer — AWS covers it by default: In the default Auto update mode Lambda applies runtime patches',
      '- ✓ secure · **No secrets in code or configuration** · identity layer',
      'Source: [docs.aws.amazon.com/whitepapers/latest/security-overview-aws-lambda/the-shared-responsibility-model]',
    ],
  },
  {
    name: 'an Azure storage account (Bicep): PaaS, Microsoft owns the OS, diagnostic settings a gap',
    file: 'storage.bicep',
    at: 'stg',
    includes: [
      'Azure Storage',
      'Service model: *paas*',
      '| **customer** | **customer** | shared | shared | **Microsoft** | **Microsoft** |',
      '- ✓ secure · **Shared key authorization off** · identity layer',
      '- ⚠ gap · **Diagnostic settings (resource logs)** · data layer',
      '- ○ provider default · **Encryption at rest** · data layer — Microsoft covers it by default: Azure Storage encrypts all data with Microsoft-managed keys',
      'Source: [learn.microsoft.com/en-us/azure/security/fundamentals/shared-responsibility]',
    ],
  },
  {
    name: 'a GKE cluster: a container platform, Google patches the control plane, private nodes open',
    file: 'gke.tf',
    at: 'google_container_cluster',
    includes: [
      'Google Kubernetes Engine',
      'Service model: *container*',
      '| **customer** | **customer** | **customer** | shared | shared | **Google** |',
      '- *os*: Google patches the control plane and supplies node images',
      /- ✗ open · \*\*Private nodes\*\* · network layer — /,
      '- ✓ secure · **Legacy ABAC off** · identity layer',
      'Source: [cloud.google.com/kubernetes-engine/docs/concepts/shared-responsibility]',
    ],
  },
];

describe('protocol: responsibility hovers and code lenses', function () {
  this.timeout(60000);
  let client: TestClient;
  let folder: string;
  const uris: Record<string, string> = {};

  before(async () => {
    ensureBuilt();
    folder = makeFolder(Object.fromEntries(Object.entries(FILES).map(([name, f]) => [name, f.text])));
    client = (await TestClient.start({ settings: {} })).client;
    for (const [name, file] of Object.entries(FILES)) {
      const uri = uriOf(path.join(folder, name));
      uris[name] = uri;
      await client.open(uri, file.text, file.languageId);
      await client.waitForVersion(uri, 1);
    }
  });

  after(() => {
    client.kill();
    removeFolder(folder);
  });

  const seen: string[] = [];
  for (const c of HOVERS) {
    it(`hovers ${c.name}`, async () => {
      const text = FILES[c.file]!.text;
      const hover = await client.hover(uris[c.file]!, positionOf(text, c.at, 1));
      assert.ok(hover, 'expected a hover');
      const markdown = (hover.contents as { value: string }).value;
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
      // Each service's split of duties differs from every other one's.
      const duties = markdown.slice(markdown.indexOf("The customer's duties here:"), markdown.indexOf('Source:'));
      assert.ok(duties.length > 30, 'the hover lists duties');
      assert.ok(!seen.includes(duties), 'the same duties as another service');
      seen.push(duties);
    });
  }

  it('puts a code lens on each resource: its customer-owned settings, open findings and gaps, listed on click', async () => {
    const lenses = await client.codeLenses(uris['s3.tf']!);
    // One lens, on the bucket: its companion logging resource has no duty of its own.
    assert.deepEqual(lenses.map((l) => l.range.start.line), [0]);
    const command = lenses[0]!.command!;
    assert.equal(command.command, 'onus.showResourceResponsibilities');
    const args = command.arguments![0] as { uri: string; resource: string; items: { state: string; label: string; line: number }[] };
    assert.equal(args.uri, uris['s3.tf']);
    assert.equal(args.resource, 'aws_s3_bucket.assets');
    const open = args.items.filter((i) => i.state === 'open').length;
    assert.ok(open >= 3);
    assert.equal(command.title, `Customer-owned: ${args.items.length} settings · ${open} open findings`);
    const states = args.items.map((i) => `${i.state} ${i.label}`);
    for (const expected of [
      'secure Access logging',
      'open Versioning (recovery of overwritten and deleted objects)',
      'provider Encryption at rest',
      'open Encryption key choice (customer-managed KMS key)',
      'open Block Public Access',
      'secure No public ACL or bucket policy grant',
    ]) {
      assert.ok(states.includes(expected), `missing ${expected} in ${states.join(', ')}`);
    }
  });

  it('says "all customer-side settings secure" when nothing is open, and counts gaps', async () => {
    const gke = await client.codeLenses(uris['gke.tf']!);
    assert.match(gke[0]?.command?.title ?? '', /^Customer-owned: \d+ settings · \d+ open findings$/);
    const ec2 = await client.codeLenses(uris['ec2.tf']!);
    assert.match(ec2[0]?.command?.title ?? '', /^Customer-owned: \d+ settings · \d+ open findings · 1 responsibility gap$/);
    const text = `resource "aws_s3_bucket_public_access_block" "assets" {
  bucket                  = "assets"
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`;
    const uri = uriOf(path.join(folder, 'pab.tf'));
    await client.open(uri, text, 'terraform');
    await client.waitForVersion(uri, 1);
    const lenses = await client.codeLenses(uri);
    assert.deepEqual(lenses.map((l) => l.command?.title), ['Customer-owned: 1 setting · all customer-side settings secure']);
  });

  it('turns code lenses off with onus.codeLens.enable and asks the editor to refresh them', async () => {
    const before = client.codeLensRefreshes;
    await client.changeSettings({ codeLens: { enable: false } });
    await client.waitForCodeLensRefresh(before + 1);
    assert.deepEqual(await client.codeLenses(uris['s3.tf']!), []);
    await client.changeSettings({});
    await client.waitForCodeLensRefresh(before + 2);
    assert.equal((await client.codeLenses(uris['s3.tf']!)).length, 1);
  });
});
