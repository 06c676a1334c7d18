a = "unterminated
b = "fine"
c = "also \" unterminated
