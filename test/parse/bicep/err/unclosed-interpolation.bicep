var a = 'x${name
var b = 'ok'
var c = 'y${name' 
