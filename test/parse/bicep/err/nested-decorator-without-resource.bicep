resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'x'
  @batchSize(1)
  other: 1
  properties: {
    a: 1
  }
}
