# A bucket with the usual shapes of HCL.
resource "aws_s3_bucket" "logs" {
  bucket        = "logs-${var.env}"
  force_destroy = false // kept on delete
  count         = 2

  tags = {
    Name  = "logs"
    "env" = var.env
  }

  versioning {
    enabled = true
  }
}
