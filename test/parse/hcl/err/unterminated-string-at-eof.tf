a = "unterminated ${var.x} end
