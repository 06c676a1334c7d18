var a = (1, b) => x
var b = ()
var c = (1, 2)
