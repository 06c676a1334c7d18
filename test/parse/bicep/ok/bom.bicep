param x string = 'bom'
