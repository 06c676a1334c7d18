arith   = 1 + 2 * 3 - 4 / 2 % 3
compare = a < b && c >= d || e == f && g != h
unary   = -x + !y
nested  = -(-1)
double  = !!true
cond    = a ? b : c ? d : e
mixed   = a + b > c ? "big" : "small"
paren   = (1 + 2) * 3
left    = 1 - 2 - 3
multi = (
  a +
  b
)
