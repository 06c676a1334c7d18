/** The HCL native-syntax parser: lexer, parser and the syntax tree they produce. */
export { lexHcl } from './lexer';
export { MAX_NESTING_DEPTH, parseHcl, parseHclExpression, parseHclTemplate } from './parser';
export * from './syntax';
