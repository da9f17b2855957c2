// An app's label from its apps.py: the class-level `label = "…"` of its AppConfig subclass (Django's rule), not a
// `label` in a docstring, a method or another class.
import { parsePython, type Node } from '../base/parser';
import { dottedName, isTrue, stringValue } from './syntax';

/** `name = value` statements directly in a class body. */
function classAssignments(body: Node): Map<string, Node> {
  const assignments = new Map<string, Node>();
  for (const statement of body.namedChildren) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChild(0) : undefined;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
    const right = assignment?.childForFieldName('right');
    if (left?.type === 'identifier' && right) assignments.set(left.text, right);
  }
  return assignments;
}

/**
 * The label of the app whose apps.py this is; undefined when no AppConfig subclass sets one literally. With
 * several AppConfig subclasses, the one marked `default = True` (as Django picks), else the first.
 */
export function appConfigLabel(text: string): string | undefined {
  if (!text.includes('label')) return undefined;
  const tree = parsePython(text);
  try {
    const configs: Array<Map<string, Node>> = [];
    for (const statement of tree.rootNode.namedChildren) {
      const definition = statement?.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      if (definition?.type !== 'class_definition') continue;
      const bases = definition.childForFieldName('superclasses')?.namedChildren ?? [];
      // AppConfig itself or a project's own subclass of it (wagtail's `WagtailSearchAppConfig(ModelSearchAppConfig)`).
      if (!bases.some((base) => /(^|\.)\w*AppConfig$/.test(dottedName(base) ?? ''))) continue;
      const body = definition.childForFieldName('body');
      if (body) configs.push(classAssignments(body));
    }
    const chosen = configs.find((config) => isTrue(config.get('default'))) ?? configs[0];
    const label = chosen?.get('label');
    const value = label ? stringValue(label) : undefined;
    return value && /^\w+$/.test(value) ? value : undefined;
  } finally {
    tree.delete();
  }
}
