/**
 * The built language server with AWS's CloudFormation resource specification: hovers document resource types and
 * properties below who owns them, and a property name the specification does not know is a warning whose quick fix
 * renames it to the nearest known name.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ensureBuilt, makeFolder, positionOf, removeFolder, ROOT, TestClient, textIn, uriOf } from './lspClient';

const UNKNOWN = 'onus-cfn-unknown-property';

function unknownProperties(p: PublishDiagnosticsParams | undefined): Diagnostic[] {
  return (p?.diagnostics ?? []).filter((d) => d.code === UNKNOWN);
}

describe('protocol: AWS resource specification (hover documentation, unknown properties)', function () {
  this.timeout(30000);
  let client: TestClient | undefined;
  const folders: string[] = [];

  before(() => {
    ensureBuilt();
    assert.ok(
      fs.existsSync(path.join(ROOT, 'dist', 'cfn-spec', 'stamp.json')),
      'dist/cfn-spec is missing: @aws-cdk/aws-service-spec is not installed (run npm install, then npm run build)',
    );
  });

  afterEach(() => {
    client?.kill();
    client = undefined;
    folders.splice(0).forEach(removeFolder);
  });

  /** Starts a server, opens one template and waits for its first publication. */
  async function openTemplate(name: string, text: string) {
    const folder = makeFolder({ [name]: text });
    folders.push(folder);
    const started = await TestClient.start({ settings: {} });
    client = started.client;
    const uri = uriOf(path.join(folder, name));
    await started.client.open(uri, text, name.endsWith('.json') ? 'json' : 'yaml');
    return { c: started.client, uri, publication: await started.client.waitForVersion(uri, 1) };
  }

  function words(hover: Awaited<ReturnType<TestClient['hover']>>): string {
    return (hover?.contents as { value: string } | undefined)?.value ?? '';
  }

  it('hover on a property shows who owns it, then its documentation, type, required flag and AWS page', async () => {
    const template = `Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: logs
      VersioningConfiguration:
        Status: Suspended
`;
    const { c, uri } = await openTemplate('logs.yaml', template);
    const status = words(await c.hover(uri, positionOf(template, 'Status')));
    // Onus's ownership part stays on top, AWS's documentation follows below a rule.
    const [ownership, spec] = status.split('\n---\n');
    assert.match(ownership ?? '', /customer's\*\* job/);
    assert.match(spec ?? '', /\*\*Status\*\* of VersioningConfiguration \(AWS::S3::Bucket\) · `String` · required/);
    assert.match(spec ?? '', /versioning state of the bucket/i);
    assert.match(
      spec ?? '',
      /\(https:\/\/docs\.aws\.amazon\.com\/AWSCloudFormation\/latest\/TemplateReference\/aws-properties-s3-bucket-versioningconfiguration\.html#cfn-s3-bucket-versioningconfiguration-status\)/,
    );
    const name = words(await c.hover(uri, positionOf(template, 'BucketName')));
    // Onus's own part first (no rule checks the name), then the specification's.
    assert.match(name.split('\n---\n')[0] ?? '', /^\*\*BucketName\*\* · `Logs`/);
    assert.match(name, /\*\*BucketName\*\* of AWS::S3::Bucket · `String` · optional · changing it replaces the resource/);
    assert.match(name, /A name for the bucket/);
    const type = words(await c.hover(uri, positionOf(template, 'AWS::S3::Bucket', 3)));
    assert.match(type, /Who secures each layer/);
    assert.match(type, /\*\*AWS::S3::Bucket\*\* \(AWS resource specification\)/);
    assert.match(type, /creates an Amazon S3 bucket/);
    assert.match(type, /TemplateReference\/aws-resource-s3-bucket\.html\)/);
  });

  it('warns on a misspelled property, top-level and nested, and the quick fix renames it (YAML)', async () => {
    const template = `Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketNmae: logs
      VersioningConfiguration:
        Stauts: Enabled
      Tags:
        - Key: team
          Value: data
`;
    const { c, uri, publication } = await openTemplate('logs.yaml', template);
    const found = unknownProperties(publication);
    assert.deepEqual(
      found.map((d) => [textIn(template, d.range), d.message, d.severity]),
      [
        ['BucketNmae', 'Unknown property "BucketNmae" for AWS::S3::Bucket; did you mean "BucketName"?', 2],
        ['Stauts', 'Unknown property "Stauts" for VersioningConfiguration (AWS::S3::Bucket); did you mean "Status"?', 2],
      ],
    );
    assert.equal(found[0]!.codeDescription?.href, 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html');
    const actions = await c.codeActions(uri, found[0]!.range, [found[0]!]);
    const rename = actions.find((a) => a.title === 'Change to "BucketName"');
    assert.ok(rename?.edit, actions.map((a) => a.title).join(', '));
    assert.equal(rename.isPreferred, true);
    const versions = await c.applyWorkspaceEdit(rename.edit);
    assert.equal(c.textOf(uri), template.replace('BucketNmae', 'BucketName'));
    const after = await c.waitForVersion(uri, versions.get(uri)!);
    assert.deepEqual(
      unknownProperties(after).map((d) => textIn(c.textOf(uri), d.range)),
      ['Stauts'],
    );
  });

  it('.onus.yaml\'s rules.disabled and the user\'s onus.rules.disabled turn the warning off; the findings stay', async () => {
    const template = `Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketNmae: logs
      AccessControl: PublicRead
`;
    const folder = makeFolder({ '.onus.yaml': 'rules:\n  disabled: [onus-cfn-unknown-property]\n', 'logs.yaml': template });
    folders.push(folder);
    const started = await TestClient.start({ settings: {} });
    client = started.client;
    const uri = uriOf(path.join(folder, 'logs.yaml'));
    await started.client.open(uri, template, 'yaml');
    const off = await started.client.waitForVersion(uri, 1);
    assert.deepEqual(unknownProperties(off), []);
    assert.ok(off.diagnostics.some((d) => d.code === 'aws-s3-public-acl'), 'the rules still report');
    client.kill();

    const { c, publication } = await openTemplate('logs.yaml', template);
    assert.deepEqual(unknownProperties(publication).map((d) => textIn(template, d.range)), ['BucketNmae']);
    const from = c.published.length;
    await c.changeSettings({ rules: { disabled: [UNKNOWN] } });
    const cleared = await c.waitForDiagnostics(publication.uri, (p) => unknownProperties(p).length === 0, from);
    assert.ok(cleared.diagnostics.some((d) => d.code === 'aws-s3-public-acl'));
  });

  it('renames a quoted JSON key inside its quotes, and a wrong case is found too', async () => {
    const template = `{
  "Resources": {
    "Key": {
      "Type": "AWS::KMS::Key",
      "Properties": { "enableKeyRotation": true, "KeyPolicy": { "Version": "2012-10-17", "Anything": [] } }
    }
  }
}
`;
    const { c, uri, publication } = await openTemplate('key.json', template);
    const found = unknownProperties(publication);
    // KeyPolicy is Json: its content is a policy document, not properties.
    assert.deepEqual(found.map((d) => textIn(template, d.range)), ['"enableKeyRotation"']);
    const actions = await c.codeActions(uri, found[0]!.range, [found[0]!]);
    const rename = actions.find((a) => a.title === 'Change to "EnableKeyRotation"');
    assert.ok(rename?.edit, actions.map((a) => a.title).join(', '));
    const versions = await c.applyWorkspaceEdit(rename.edit);
    assert.equal(c.textOf(uri), template.replace('"enableKeyRotation"', '"EnableKeyRotation"'));
    const after = await c.waitForVersion(uri, versions.get(uri)!);
    assert.deepEqual(unknownProperties(after), []);
  });

  it('does not flag SAM resources, custom resources, types the specification lacks, intrinsics or Json properties', async () => {
    const template = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 10
    LoggingConfig:
      LogFormat: JSON
Conditions:
  IsProd: !Equals [!Ref AWS::Region, eu-west-1]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      SnapStart:
        ApplyOn: PublishedVersions
      RuntimeManagementConfig:
        UpdateRuntimeOn: Auto
      RecursiveLoop: Terminate
  Custom:
    Type: Custom::Thing
    Properties:
      ServiceToken: arn:aws:lambda:eu-west-1:111122223333:function:x
      Whatever: 1
  ThirdParty:
    Type: Acme::Widgets::Widget
    Properties:
      Colour: blue
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption: !If
        - IsProd
        - ServerSideEncryptionConfiguration:
            - ServerSideEncryptionByDefault:
                SSEAlgorithm: aws:kms
        - !Ref AWS::NoValue
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: "s3:*"
            Resource: "*"
`;
    const { c, uri, publication } = await openTemplate('app.yaml', template);
    assert.deepEqual(unknownProperties(publication).map((d) => d.message), []);
    // The SAM function still has its documentation on hover, from the specification's SAM part.
    const handler = words(await c.hover(uri, positionOf(template, 'Handler')));
    assert.match(handler, /\*\*Handler\*\* of AWS::Serverless::Function/);
    assert.match(handler, /serverless-application-model\/latest\/developerguide\/sam-resource-function\.html#sam-function-handler/);
  });

  it('does not flag a template that a macro rewrites, and still flags one using only AWS::LanguageExtensions', async () => {
    const macro = `Transform: ExecutionRoleBuilder
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      Type: Lambda
      Permissions: [ReadOnly]
`;
    const first = await openTemplate('macro.yaml', macro);
    assert.deepEqual(unknownProperties(first.publication).map((d) => d.message), []);
    first.c.kill();
    const plain = macro.replace('ExecutionRoleBuilder', 'AWS::LanguageExtensions');
    const second = await openTemplate('plain.yaml', plain);
    assert.deepEqual(
      unknownProperties(second.publication).map((d) => textIn(plain, d.range)),
      ['Type', 'Permissions'],
    );
  });
});
