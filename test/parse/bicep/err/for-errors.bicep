var a = [for in list: 1]
var b = [for x in list 1]
var c = [for (x) in list: x]
