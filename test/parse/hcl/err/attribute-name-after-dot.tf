a = var.
b = var.x.
c = 1
