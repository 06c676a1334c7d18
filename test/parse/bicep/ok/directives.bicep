// A line comment
/* A block
   comment */
#disable-next-line no-unused-params BCP081
param unused string

#disable-diagnostics no-unused-vars
var a = 1
#restore-diagnostics no-unused-vars

// onus:ignore azure-storage-min-tls reviewed
resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'x' // trailing comment
}
