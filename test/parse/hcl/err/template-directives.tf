a = "%{ if x }no end"
b = "%{ endif }"
c = "%{ for x in y }${x}%{ endif }"
d = "%{ else }"
e = "%{ bogus }"
f = 1
