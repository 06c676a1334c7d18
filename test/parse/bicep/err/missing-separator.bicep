var o = { a: 1 b: 2 }
var l = ['a' 'b']
