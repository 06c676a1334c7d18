type t =
param p string |
type o = { a: }
var ok = 1
