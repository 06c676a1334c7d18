a { x = 1, y = 2 }
b { x = 1
  y = 2
}
c { nested {} }
d { x = 1 } extra
e = 1
