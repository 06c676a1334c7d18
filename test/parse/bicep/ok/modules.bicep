module network './network.bicep' = {
  name: 'network'
  params: {
    location: location
    addressSpace: '10.0.0.0/16'
  }
}

module regional 'modules/regional.bicep' = [for region in regions: {
  name: 'regional-${region}'
  scope: resourceGroup(region)
  params: {
    region: region
  }
}]

module maybe 'br/public:avm/res/storage/storage-account:0.9.0' = if (enabled) {
  name: 'maybe'
}

test networkTest './network.bicep' = {
  params: {
    location: 'westeurope'
  }
}
