var s = 'unterminated
var next = 'fine'
resource r 'Microsoft.Foo/bar@2020-01-01' = {
  name: 'a'
