// A storage account with the usual shapes of Bicep.
@description('The location')
param location string = resourceGroup().location
@secure()
param adminPassword string

var prefix = 'stg-${toLower(location)}'

#disable-next-line no-hardcoded-env-urls
resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: '${prefix}${uniqueString(resourceGroup().id)}'
  location: location
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2' // keep
    supportsHttpsTrafficOnly: true
    networkAcls: { defaultAction: 'Deny', ipRules: [] }
  }
  resource blob 'blobServices' = {
    name: 'default'
  }
}

output id string = stg.id
