resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'x'
  properties: {
    minimumTlsVersion: 'TLS1_2'
