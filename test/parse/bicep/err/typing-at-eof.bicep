resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  prop