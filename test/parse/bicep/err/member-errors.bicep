var a = list[]
var b = obj.
var c = x::
