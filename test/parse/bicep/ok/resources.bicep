resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stg${uniqueString(resourceGroup().id)}'
  location: location
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    networkAcls: {
      defaultAction: 'Deny'
      ipRules: []
    }
  }

  resource blob 'blobServices' = {
    name: 'default'

    @batchSize(2)
    resource containers 'containers' = [for name in containerNames: {
      name: name
    }]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2023-04-01' existing = {
  name: vnetName
}

resource subnet 'Microsoft.Network/virtualNetworks/subnets@2023-04-01' = {
  parent: vnet
  name: 'apps'
  properties: {
    addressPrefix: '10.0.1.0/24'
  }
}

resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = if (deployVault) {
  name: 'kv'
}

resource conditional 'Microsoft.KeyVault/vaults@2023-07-01' =
  if (deployVault) {
    name: 'kv2'
  }

resource many 'Microsoft.Network/publicIPAddresses@2023-04-01' = [for (ip, i) in ips: if (i > 0) {
  name: ip.name
}]

output blobId string = stg::blob.id
