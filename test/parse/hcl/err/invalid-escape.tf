a = "bad \q escape"
b = "\u12 short"
c = "\UFFFFFFFF"
d = 1
