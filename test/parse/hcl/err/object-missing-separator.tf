tags = { a = 1 b = 2 }
next = {
  c = 1 d = 2
  e = 3
}
last = 1
