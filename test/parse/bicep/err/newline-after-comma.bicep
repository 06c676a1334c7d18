var l = [
  'a',
  'b'
]
