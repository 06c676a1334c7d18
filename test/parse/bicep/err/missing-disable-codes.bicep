#disable-next-line
var a = 1
