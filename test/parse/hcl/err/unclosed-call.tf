resource "a" "b" {
  x = join(",", [1, 2]
  y = 1
}
