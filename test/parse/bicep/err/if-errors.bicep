resource r 'Microsoft.Foo/bar@2020-01-01' = if cond {
  name: 'a'
}
