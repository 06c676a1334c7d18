targetScope = 'resourceGroup'

metadata description = 'Declarations of every kind'

import { lockType, roleAssignmentType as roles } from 'br/public:avm/utl/types/avm-common-types:0.5.1'
import * as shared from './shared.bicep'
import 'az@1.0.0'
extension kubernetes with {
  namespace: 'default'
  kubeConfig: ''
} as k8s
extension microsoftGraph

@export()
@description('An environment name')
type environment = 'dev' | 'test' | 'prod'

@minLength(3)
@maxLength(24)
param storageName string
param location string = resourceGroup().location
@secure()
param adminPassword string
@allowed([
  'Standard_LRS'
  'Standard_GRS'
])
param sku string = 'Standard_LRS'
param tags object = {}
param optional string?

var prefix = 'stg'
var count int = 3

func buildName(base string, index int) string => '${base}-${index}'

@description('The account id')
output accountId string = stg.id
output names array = [for i in range(0, count): buildName(prefix, i)]
output stgResource resource = stg
output legacy resource 'Microsoft.Storage/storageAccounts@2023-01-01' = stg

assert nameIsShort = length(storageName) < 25
