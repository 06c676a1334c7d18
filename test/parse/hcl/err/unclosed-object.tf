resource "a" "b" {
  tags = {
    Name = "x"

resource "c" "d" {
  y = 2
}
