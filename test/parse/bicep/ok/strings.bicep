var plain = 'hello'
var escapes = 'line\nnext\ttab \\ \' \${notInterp} \u{1F600}'
var interp = 'prefix-${name}-${toLower(suffix)}-end'
var nested = 'outer ${'inner ${value}'} done'
var braces = '${ { a: 1 }.a }'
var empty = ''
var multi = '''
verbatim ${not interpolated} \n
'''
var multiQuotes = '''it's'''''
var interpMulti = $'''
Hello ${name}
'''
var dollars = $$'''
${literal} $${interpolated}
'''
