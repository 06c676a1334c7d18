resource x = {
  name: 'a'
}
var ok = 1
