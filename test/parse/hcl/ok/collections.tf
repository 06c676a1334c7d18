empty_tuple  = []
tuple        = [1, "two", three]
trailing     = [1, 2,]
multiline    = [
  1,
  2
]
empty_object = {}
object = {
  a   = 1
  "b" = 2
  c : 3
  (var.key) = 4
  d = 5, e = 6,
  "with space" = 7
}
one_line = { a = 1, b = 2 }
nested   = { list = [{ x = 1 }, { y = [2] }] }
