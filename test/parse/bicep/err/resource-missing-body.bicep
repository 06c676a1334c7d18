resource x 'Microsoft.Foo/bar@2020-01-01' =
var ok = 1
