a = provider::aws:(1)
b = provider::(1)
c = 1
