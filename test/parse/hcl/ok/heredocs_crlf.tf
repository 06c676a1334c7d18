doc = <<-EOT
    line one
      line two
    EOT
plain = <<EOT
${var.x}
EOT
