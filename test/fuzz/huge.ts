/**
 * Inputs of 50 MB, one per front end, shaped as real files that grew (thousands of resources repeated), for the
 * fuzz suites: each goes through the whole pipeline, which must answer without an exception and within the work
 * bound (the lowerings read files up to 8 MB and report a larger one as not analysed).
 */
import type { FrontEnd } from './fuzzer';

/** The size of each input, in characters. */
export const HUGE_LENGTH = 50 * 1024 * 1024;

/** `unit(i)` repeated until the text holds `length` characters, between `head` and `tail`. */
function grow(head: string, unit: (i: number) => string, tail: string, length = HUGE_LENGTH): string {
  const parts = [head];
  let size = head.length + tail.length;
  for (let i = 0; size < length; i++) {
    const piece = unit(i);
    parts.push(piece);
    size += piece.length;
  }
  parts.push(tail);
  return parts.join('');
}

/** One 50 MB input per front end. */
export function hugeInputs(): { name: string; frontEnd: FrontEnd; text: string }[] {
  return [
    {
      name: 'hcl: 50 MB of buckets',
      frontEnd: 'hcl',
      text: grow('', (i) => `resource "aws_s3_bucket" "b${i}" {\n  bucket = "b-${i}"\n  acl    = "public-read"\n}\n\n`, ''),
    },
    {
      name: 'tf-json: 50 MB of buckets',
      frontEnd: 'tf-json',
      text: grow('{"resource":{"aws_s3_bucket":{', (i) => `"b${i}":{"bucket":"b-${i}","acl":"public-read"},`, '"last":{}}}}'),
    },
    {
      name: 'cfn-yaml: 50 MB of buckets',
      frontEnd: 'cfn-yaml',
      text: grow('Resources:\n', (i) => `  B${i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: b-${i}\n`, ''),
    },
    {
      name: 'cfn-json: 50 MB of buckets',
      frontEnd: 'cfn-json',
      text: grow('{"Resources":{', (i) => `"B${i}":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":"b-${i}"}},`, '"Last":{"Type":"AWS::S3::Bucket"}}}'),
    },
    {
      name: 'bicep: 50 MB of accounts',
      frontEnd: 'bicep',
      text: grow(
        '',
        (i) => `resource sa${i} 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'sa${i}'\n  properties: {\n    minimumTlsVersion: 'TLS1_0'\n  }\n}\n`,
        '',
      ),
    },
  ];
}
