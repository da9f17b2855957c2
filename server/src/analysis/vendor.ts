// Code that runs only on some database vendors: `if connection.vendor == "postgresql":` in a migration's class body
// (wagtail chooses its operations so). Operations of a branch for another vendor never reach the database linted.
import type { Node } from '../base/parser';
import { dottedName, literal, sequenceItems } from './syntax';

/** Whether code under a condition runs on `vendor`: true, false, or undefined when the condition cannot tell. */
export type VendorTest = (vendor: string) => boolean | undefined;

const UNKNOWN: VendorTest = () => undefined;

/** Django's `connection.vendor` names: `postgresql`, `mysql`, `sqlite`, `oracle` (the config's database names). */
function isVendorExpression(node: Node | undefined): boolean {
  const name = dottedName(node) ?? '';
  return name === 'connection.vendor' || name.endsWith('.connection.vendor') || /^connections\[.*\]\.vendor$/s.test(node?.text ?? '');
}

function vendorNames(node: Node | undefined): string[] | undefined {
  const value = literal(node);
  if (value.kind === 'string') return [value.value];
  if (node?.type !== 'tuple' && node?.type !== 'list' && node?.type !== 'set') return undefined;
  const names = sequenceItems(node).map((item) => literal(item));
  return names.every((item) => item.kind === 'string') ? names.map((item) => (item as { value: string }).value) : undefined;
}

function comparison(node: Node): VendorTest {
  const operands = node.namedChildren.filter((child): child is Node => !!child && child.type !== 'comment' && child.type !== 'not in');
  const operators = node.children.filter((child) => !!child && !child.isNamed || child?.type === 'not in').map((child) => child!.type);
  if (operands.length !== 2 || operators.length !== 1) return UNKNOWN;
  const [operator] = operators;
  const [left, right] = operands;
  const [subject, other] = isVendorExpression(left) ? [left, right] : isVendorExpression(right) && (operator === '==' || operator === '!=') ? [right, left] : [undefined, undefined];
  const names = subject ? vendorNames(other) : undefined;
  if (!names) return UNKNOWN;
  if ((operator === '==' && names.length === 1) || operator === 'in') return (vendor) => names.includes(vendor);
  if ((operator === '!=' && names.length === 1) || operator === 'not in') return (vendor) => !names.includes(vendor);
  return UNKNOWN;
}

/** The vendor test a condition expresses (`and`, `or`, `not` and parentheses combined). */
export function vendorTest(condition: Node | null | undefined): VendorTest {
  if (!condition) return UNKNOWN;
  switch (condition.type) {
    case 'comparison_operator':
      return comparison(condition);
    case 'parenthesized_expression': {
      const inner = condition.namedChildren.find((child) => !!child && child.type !== 'comment');
      return vendorTest(inner);
    }
    case 'not_operator':
      return negate(vendorTest(condition.childForFieldName('argument')));
    case 'boolean_operator': {
      const left = vendorTest(condition.childForFieldName('left'));
      const right = vendorTest(condition.childForFieldName('right'));
      const and = condition.childForFieldName('operator')?.type === 'and';
      return (vendor) => {
        const [a, b] = [left(vendor), right(vendor)];
        if (and) return a === false || b === false ? false : a === true && b === true ? true : undefined;
        return a === true || b === true ? true : a === false && b === false ? false : undefined;
      };
    }
    default:
      return UNKNOWN;
  }
}

/** All of the tests hold (an `else` after several conditions: none of them held). */
export function allOf(tests: readonly VendorTest[]): VendorTest {
  return (vendor) => {
    const results = tests.map((test) => test(vendor));
    return results.includes(false) ? false : results.every((result) => result === true) ? true : undefined;
  };
}

export function negate(test: VendorTest): VendorTest {
  return (vendor) => {
    const result = test(vendor);
    return result === undefined ? undefined : !result;
  };
}
