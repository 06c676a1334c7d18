resource "a" "b${x}" {
  y = 1
}
