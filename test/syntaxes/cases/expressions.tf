locals {
  names   = [for s in var.subnets : upper(s.name) if s.public]
  by_name = { for k, v in var.map : k => v.id }
  first   = aws_subnet.main[0].id
  ids     = aws_subnet.main[*].id
  ratio   = 1.5e3 / 2 >= 10 && !var.off ? "yes" : null
  policy  = jsonencode({ Version = "2012-10-17" })
  escaped = "$${literal} and \"quoted\" and %{ if var.on }on%{ endif }"
  /* a block
     comment */
  policy_doc = <<-EOT
    {"Bucket": "${aws_s3_bucket.logs.id}"}
  EOT
}
