var a = 1 + 2 * 3 >= 4 && !b || c ?? 'd'
var t = isProd ? 'Premium' : 'Standard'
var safe = cfg.?settings[?0]!.name
var nested = hub::subnet.id
var f = map(items, item => item.name)
var g = (x, y) => x + y
var loop = [for (rule, i) in rules: if (i > 0) { name: rule.name }]
var spread = { ...base, type: 'x' }
var esc = 'it\'s \${not} \u{1F600} \q'
var multi = '''
not ${interpolated}
'''
var interp = $'''
Hello ${name}
'''
/* block
   comment */ var after = null
type choice = 'a' | 'b'
func greet(name string) string => 'Hi ${name}'
import { x as y } from './shared.bicep'
