resource "a" "b" {
  x = 1
  y = "two"

  nested {
    z = [1,
      2]
  }
}
