a = x ? y
b = x ? : z
c = 1
