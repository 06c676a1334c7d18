import { a, b from './x.bicep'
import * from './y.bicep'
import { c }
var ok = 1
