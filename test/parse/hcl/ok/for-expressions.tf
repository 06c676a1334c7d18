upper   = [for s in var.list : upper(s)]
indexed = [for i, s in var.list : "${i}:${s}"]
filter  = [for s in var.list : s if s != ""]
object  = { for k, v in var.map : k => v }
grouped = { for s in var.list : substr(s, 0, 1) => s... }
cond    = { for k, v in var.map : upper(k) => v if v != null }
multi = [
  for s in var.list :
  s
  if s != ""
]
