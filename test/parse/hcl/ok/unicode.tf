name    = "héllo wörld 😀"
ünïcode = "ok"
emoji_key = { "😀" = 1 }
after   = "${var.x} — done"
