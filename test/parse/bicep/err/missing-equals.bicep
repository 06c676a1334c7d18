var x 'a'
var y = 2
