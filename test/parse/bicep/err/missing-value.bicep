var x =
var y = 2
