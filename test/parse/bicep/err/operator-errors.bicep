var x = 1 +
var y = a ? b
var z = 2
