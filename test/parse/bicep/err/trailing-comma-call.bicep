var c = concat(
  'a',
  'b',
)
var d = 1
