resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'x'
  properties: {
    minimumTlsVersion: 'TLS1_2'

param next string = 'a'

resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv'
}
