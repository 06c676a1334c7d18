var a = 'bad \q escape \u{110000} and \u{zz}'
var b = 1
