func f(a string, 1) string => a
func g string => 1
var ok = 1
