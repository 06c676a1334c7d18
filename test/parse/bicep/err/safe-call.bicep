var a = 'x'.?y(1)
var b = 1
