var a = 1 # 2
var b = "double"
var c = 3
