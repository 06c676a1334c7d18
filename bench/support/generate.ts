/**
 * Generated IaC files of a chosen size for the benchmarks: Terraform, Bicep and CloudFormation, each built from one
 * data structure so that an equivalent JSON document (for the `JSON.parse` reference) holds the same content.
 * The resources mix secure and insecure settings so that rules fire, fixes render and suppressions are looked up.
 */

/** One generated file: its text and the equivalent JSON document. */
export interface GeneratedFile {
  text: string;
  json: string;
  lines: number;
}

/** The languages a file can be generated in. */
export type Language = 'terraform' | 'bicep' | 'cloudformation';

/** Counts lines the way an editor does. */
export function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    n++;
  }
  return n;
}

/** A Terraform file of about `lines` lines. */
export function generateTerraform(lines: number, seed = 0): GeneratedFile {
  const out: string[] = [];
  const json: Record<string, Record<string, Record<string, unknown>>> = { resource: {} };
  const add = (type: string, name: string, body: Record<string, unknown>) => {
    (json.resource![type] ??= {})[name] = body;
  };
  out.push('variable "environment" {', '  type    = string', '  default = "prod"', '}', '');
  let i = 0;
  while (out.length < lines) {
    const n = `r${seed}_${i}`;
    switch (i % 4) {
      case 0:
        out.push(
          `resource "aws_s3_bucket" "${n}" {`,
          `  bucket = "bucket-${n}"`,
          '  tags = {',
          `    Name        = "${n}"`,
          '    Environment = var.environment',
          '  }',
          '}',
          '',
        );
        add('aws_s3_bucket', n, { bucket: `bucket-${n}`, tags: { Name: n, Environment: '${var.environment}' } });
        break;
      case 1:
        out.push(
          `resource "aws_security_group" "${n}" {`,
          `  name        = "sg-${n}"`,
          '  description = "generated"',
          '  ingress {',
          '    from_port   = 22',
          '    to_port     = 22',
          '    protocol    = "tcp"',
          '    cidr_blocks = ["0.0.0.0/0"]',
          '  }',
          '}',
          '',
        );
        add('aws_security_group', n, {
          name: `sg-${n}`,
          description: 'generated',
          ingress: [{ from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }],
        });
        break;
      case 2:
        out.push(
          `resource "aws_db_instance" "${n}" {`,
          `  identifier          = "db-${n}"`,
          '  engine              = "postgres"',
          '  instance_class      = "db.t3.micro"',
          '  allocated_storage   = 20',
          '  storage_encrypted   = false',
          '  publicly_accessible = true',
          '}',
          '',
        );
        add('aws_db_instance', n, {
          identifier: `db-${n}`,
          engine: 'postgres',
          instance_class: 'db.t3.micro',
          allocated_storage: 20,
          storage_encrypted: false,
          publicly_accessible: true,
        });
        break;
      default:
        out.push(
          `resource "azurerm_storage_account" "${n}" {`,
          `  name                     = "st${seed}x${i}"`,
          '  resource_group_name      = "rg"',
          '  location                 = "westeurope"',
          '  account_tier             = "Standard"',
          '  account_replication_type = "LRS"',
          '  min_tls_version          = "TLS1_0"',
          '}',
          '',
        );
        add('azurerm_storage_account', n, {
          name: `st${seed}x${i}`,
          resource_group_name: 'rg',
          location: 'westeurope',
          account_tier: 'Standard',
          account_replication_type: 'LRS',
          min_tls_version: 'TLS1_0',
        });
    }
    i++;
  }
  const text = out.join('\n');
  return { text, json: JSON.stringify(json, null, 2), lines: lineCount(text) };
}

/** A Bicep file of about `lines` lines. */
export function generateBicep(lines: number, seed = 0): GeneratedFile {
  const out: string[] = ["param location string = 'westeurope'", ''];
  const json: Record<string, unknown>[] = [];
  let i = 0;
  while (out.length < lines) {
    const n = `r${seed}x${i}`;
    if (i % 2 === 0) {
      out.push(
        `resource st${n} 'Microsoft.Storage/storageAccounts@2023-01-01' = {`,
        `  name: 'st${n}'`,
        '  location: location',
        "  kind: 'StorageV2'",
        '  sku: {',
        "    name: 'Standard_LRS'",
        '  }',
        '  properties: {',
        "    minimumTlsVersion: 'TLS1_0'",
        '    supportsHttpsTrafficOnly: false',
        '    allowBlobPublicAccess: true',
        '  }',
        '}',
        '',
      );
      json.push({
        type: 'Microsoft.Storage/storageAccounts',
        apiVersion: '2023-01-01',
        name: `st${n}`,
        location: '[parameters(location)]',
        kind: 'StorageV2',
        sku: { name: 'Standard_LRS' },
        properties: { minimumTlsVersion: 'TLS1_0', supportsHttpsTrafficOnly: false, allowBlobPublicAccess: true },
      });
    } else {
      out.push(
        `resource kv${n} 'Microsoft.KeyVault/vaults@2023-02-01' = {`,
        `  name: 'kv${n}'`,
        '  location: location',
        '  properties: {',
        "    tenantId: subscription().tenantId",
        '    sku: {',
        "      family: 'A'",
        "      name: 'standard'",
        '    }',
        '    enablePurgeProtection: false',
        '  }',
        '}',
        '',
      );
      json.push({
        type: 'Microsoft.KeyVault/vaults',
        apiVersion: '2023-02-01',
        name: `kv${n}`,
        location: '[parameters(location)]',
        properties: { tenantId: '[subscription().tenantId]', sku: { family: 'A', name: 'standard' }, enablePurgeProtection: false },
      });
    }
    i++;
  }
  const text = out.join('\n');
  return { text, json: JSON.stringify({ resources: json }, null, 2), lines: lineCount(text) };
}

/** A CloudFormation YAML template of about `lines` lines. */
export function generateCloudFormation(lines: number, seed = 0): GeneratedFile {
  const out: string[] = ["AWSTemplateFormatVersion: '2010-09-09'", 'Description: generated', 'Resources:'];
  const resources: Record<string, unknown> = {};
  let i = 0;
  while (out.length < lines) {
    const n = `R${seed}x${i}`;
    if (i % 2 === 0) {
      out.push(
        `  Bucket${n}:`,
        '    Type: AWS::S3::Bucket',
        '    Properties:',
        `      BucketName: bucket-${n.toLowerCase()}`,
        '      Tags:',
        '        - Key: Name',
        `          Value: ${n}`,
      );
      resources[`Bucket${n}`] = { Type: 'AWS::S3::Bucket', Properties: { BucketName: `bucket-${n.toLowerCase()}`, Tags: [{ Key: 'Name', Value: n }] } };
    } else {
      out.push(
        `  Db${n}:`,
        '    Type: AWS::RDS::DBInstance',
        '    Properties:',
        '      Engine: postgres',
        '      DBInstanceClass: db.t3.micro',
        "      AllocatedStorage: '20'",
        '      StorageEncrypted: false',
        '      PubliclyAccessible: true',
      );
      resources[`Db${n}`] = {
        Type: 'AWS::RDS::DBInstance',
        Properties: { Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: '20', StorageEncrypted: false, PubliclyAccessible: true },
      };
    }
    i++;
  }
  const text = out.join('\n') + '\n';
  return {
    text,
    json: JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Description: 'generated', Resources: resources }, null, 2),
    lines: lineCount(text),
  };
}

/** A generated file of a language. */
export function generate(language: Language, lines: number, seed = 0): GeneratedFile {
  switch (language) {
    case 'terraform':
      return generateTerraform(lines, seed);
    case 'bicep':
      return generateBicep(lines, seed);
    case 'cloudformation':
      return generateCloudFormation(lines, seed);
  }
}

/** The file name a generated file of a language gets. */
export function fileNameOf(language: Language, base: string): string {
  return `${base}.${language === 'terraform' ? 'tf' : language === 'bicep' ? 'bicep' : 'yaml'}`;
}
