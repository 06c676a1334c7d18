var singleLineArray = ['abc', 'def']
var trailingComma = ['abc', 'def',]
var multiLineArray = [
  'abc'
  'def'
]
var mixedArray = ['abc', 'def'
'ghi', 'jkl'
'lmn']
var singleLineObject = { abc: 'def', ghi: 'jkl' }
var mixedObject = { abc: 'abc', def: 'def'
ghi: 'ghi' }
var emptyObject = {}
var emptyArray = []
var commented = [ /* first */ 'a' // trailing
  'b'
]
var call = concat(
              'abc',          any(['hello']),
'def')
