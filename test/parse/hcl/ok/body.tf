# A line comment
// Another line comment
/* A block
   comment */
terraform {
  required_version = ">= 1.5"
}

resource "aws_s3_bucket" "logs" {
  bucket = "my-logs" # trailing comment
  acl    = "private" // trailing comment

  versioning {
    enabled = true
  }
}

locals {}
bare_label_block foo "bar" baz {
}
