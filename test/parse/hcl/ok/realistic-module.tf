variable "bucket_name" {
  description = "Name of the bucket"
  type        = string
  default     = null
}

data "aws_iam_policy_document" "this" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this.arn,
      "${aws_s3_bucket.this.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket" "this" {
  count  = var.create ? 1 : 0
  bucket = var.bucket_name

  tags = merge(var.tags, {
    Name = var.bucket_name
  })

  dynamic "logging" {
    for_each = length(keys(var.logging)) == 0 ? [] : [var.logging]
    content {
      target_bucket = logging.value.target_bucket
      target_prefix = try(logging.value.target_prefix, null)
    }
  }
}

output "arn" {
  value = try(aws_s3_bucket.this[0].arn, "")
}
