var o = {
  a: 1
  ]
  b: 2
}
var c = f(1 ])
