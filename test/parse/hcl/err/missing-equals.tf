resource "a" "b" {
  name "x"
  enabled
  after = 1
}
