resource "a" "b" {
  @@@ junk here
  "quoted" = 1
  x = 1
  [1, 2] = 3
  y = 2
}
