module m = {
}
module n './x.bicep' = 5
