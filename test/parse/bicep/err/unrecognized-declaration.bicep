foo bar baz
}
var ok = 1
