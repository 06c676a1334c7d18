var o = {
  a:
  b: 2
}
