@description('x')

