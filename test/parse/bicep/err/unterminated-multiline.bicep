var a = 'ok'
var b = '''never
closed
