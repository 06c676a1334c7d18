/** The Bicep parser: lexer, parser and the syntax tree they produce. */
export { lexBicep } from './lexer';
export { DECLARATION_KEYWORDS, MAX_NESTING_DEPTH, parseBicep, parseBicepExpression } from './parser';
export * from './syntax';
