resource "a" "b"
  x = 1
resource "c" = {
}
last = 1
