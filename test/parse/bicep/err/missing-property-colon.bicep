resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'x'
  properties: {
    minimumTls
    supportsHttpsTrafficOnly: true
  }
}
