import Handlebars from 'handlebars';
import { TemplateSyntaxError } from './templates.errors.js';

type Node = hbs.AST.Node;

/** Block helpers a template may use; everything else (partials, decorators, lookup, log, sub-expressions) is refused. */
const ALLOWED_BLOCKS = new Set(['if', 'unless', 'each', 'with']);
/** Inside these blocks paths are relative to an item, so they are not root variables. */
const SCOPING_BLOCKS = new Set(['each', 'with']);

/**
 * An isolated Handlebars environment: no helpers or partials can be registered from input, only
 * the built-in block helpers are known, `strict` makes a missing value an error instead of an
 * empty string, and prototype properties/methods stay unreachable at run time.
 */
const handlebars = Handlebars.create();

export type CompiledTemplate = (data: Record<string, unknown>) => string;

/** Parses, checks and compiles one body; returns it with the root variables it references. */
export function compileTemplate(field: string, source: string, escape: boolean): { render: CompiledTemplate; variables: Set<string> } {
  let ast: hbs.AST.Program;
  try {
    ast = handlebars.parse(source);
  } catch (error) {
    throw new TemplateSyntaxError(field, (error as Error).message.split('\n')[0] ?? 'does not parse');
  }
  const variables = new Set<string>();
  walk(field, ast, variables, false);
  const template = handlebars.compile(source, { strict: true, knownHelpersOnly: true, knownHelpers: {}, noEscape: !escape, data: false });
  const render: CompiledTemplate = (data) =>
    template(data, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false, allowCallsToHelperMissing: false });
  return { render, variables };
}

function walk(field: string, node: Node | undefined, variables: Set<string>, scoped: boolean): void {
  if (!node) return;
  switch (node.type) {
    case 'Program':
      for (const child of (node as hbs.AST.Program).body) walk(field, child, variables, scoped);
      return;
    case 'ContentStatement':
    case 'CommentStatement':
      return;
    case 'MustacheStatement': {
      const mustache = node as hbs.AST.MustacheStatement;
      if (mustache.params.length > 0 || mustache.hash) throw new TemplateSyntaxError(field, 'helpers are not allowed');
      reference(field, mustache.path, variables, scoped);
      return;
    }
    case 'BlockStatement': {
      const block = node as hbs.AST.BlockStatement;
      const name = block.path.type === 'PathExpression' ? (block.path as hbs.AST.PathExpression).original : '';
      if (!ALLOWED_BLOCKS.has(name) || block.params.length !== 1 || block.hash) {
        throw new TemplateSyntaxError(field, `only {{#if}}, {{#unless}}, {{#each}} and {{#with}} with one variable are allowed (found '${name}')`);
      }
      reference(field, block.params[0]!, variables, scoped);
      walk(field, block.program, variables, scoped || SCOPING_BLOCKS.has(name));
      walk(field, block.inverse, variables, scoped);
      return;
    }
    default:
      throw new TemplateSyntaxError(field, `${node.type} is not allowed`);
  }
}

function reference(field: string, expression: hbs.AST.Expression, variables: Set<string>, scoped: boolean): void {
  if (expression.type !== 'PathExpression') throw new TemplateSyntaxError(field, 'only plain variables are allowed');
  const path = expression as hbs.AST.PathExpression;
  if (path.data) throw new TemplateSyntaxError(field, `@-variables are not allowed (${path.original})`);
  const head = path.parts[0];
  if (path.parts.some((part) => part === '__proto__' || part === 'constructor' || part === 'prototype')) {
    throw new TemplateSyntaxError(field, `'${path.original}' is not allowed`);
  }
  if (scoped || path.depth > 0 || head === undefined || path.original === 'this' || path.original === '.') return;
  variables.add(head);
}
