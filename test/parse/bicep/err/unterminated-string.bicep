var a = 'unterminated
var b = 'ok'
