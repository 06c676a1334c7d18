var precedence = 1 + 2 * 3 - 4 / 2 % 3
var comparison = a < b && c >= d || !e == f
var coalesce = a ?? b ?? 'default'
var ternary = a ? b : c ? d : e
var multiLineTernary = isProd
  ? 'Premium'
  : 'Standard'
var safe = config.?settings[?0].?name
var nonNull = config.settings!.name
var fromEnd = list[^1]
var negative = -5
var insensitive = a =~ 'X' && b !~ 'Y'
var namespaced = az.resourceGroup().location
var instance = stg.listKeys().keys[0].value
var nested = parentRes::childRes.properties.x
var lambda = map(items, item => item.name)
var lambda2 = reduce(numbers, 0, (acc, n) => acc + n)
var noArgs = sort(items, () => true)
var filtered = [for (item, i) in items: item.enabled ? item : null]
var spreadArray = [...first, 'x', ...second]
var spreadObject = {
  ...defaults
  name: 'x'
}
var call = concat(
  'a',
  'b'
)
var paren = (1 + 2) * 3
