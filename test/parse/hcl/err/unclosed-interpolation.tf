a = "${var.x
b = 1
c = "x${foo(}" 
d = 2
