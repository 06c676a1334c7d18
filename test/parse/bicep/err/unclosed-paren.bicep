var p = (1 + 2
var d = 1
