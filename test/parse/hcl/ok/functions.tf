simple   = upper("x")
no_args  = timestamp()
multi    = merge(
  local.a,
  { b = 2 },
)
expand   = concat(var.lists...)
provider = provider::aws::arn_parse(var.arn)
nested   = lookup(lookup(var.m, "a", {}), "b", null)
