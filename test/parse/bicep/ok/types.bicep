type tags = {
  *: string
}
type config = {
  @description('The name')
  name: string
  'quoted-key': int?
  size: 'small' | 'large'
  nested: {
    enabled: bool
  }
  list: string[]
}
type pair = [string, int]
type union =
  | 'a'
  | 'b'
type fromImport = shared.configType
type item = config.list[*]
type additional = tags.*
type indexed = pair[0]
type storage = resource<'Microsoft.Storage/storageAccounts@2023-01-01'>.properties
type negative = -1 | 0 | 1
type paren = (string)
param strict config!
