plain = <<EOT
hello
  world
EOT
indented = <<-EOT
    first
      second

    third
    EOT
with_interp = <<-EOT
  name = ${var.name}
  %{ for x in var.xs ~}
  item ${x}
  %{ endfor ~}
  EOT
policy = jsonencode(<<JSON
{"a": "$${b}"}
JSON
)
after = 1
