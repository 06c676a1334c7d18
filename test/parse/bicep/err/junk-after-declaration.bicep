param x string = 'a' 'b'
var y = 1
