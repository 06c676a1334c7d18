a = [for x in y]
b = [for in y : x]
c = {for x in y : x}
d = [for k, v in y : k => v]
e = [for x y : x]
f = 1
