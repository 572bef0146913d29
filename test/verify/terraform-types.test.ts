import { conformsTo, parseType, similarNames, templateExpressions } from '../../verify/terraform-types';

describe('parseType', () => {
  test('reads primitives and collections', () => {
    expect(parseType('string')).toEqual({ kind: 'string' });
    expect(parseType('map(list(number))')).toEqual({ kind: 'map', element: { kind: 'list', element: { kind: 'number' } } });
    expect(parseType('set(any)')).toEqual({ kind: 'set', element: { kind: 'any' } });
    expect(parseType('tuple([string, bool])')).toEqual({ kind: 'tuple', elements: [{ kind: 'string' }, { kind: 'bool' }] });
  });

  test('reads object attributes, optional ones with their defaults, separated by commas or newlines', () => {
    // GIVEN an object type as upstream writes it (newlines) and as the data file holds it (commas)
    const written = 'object({\n  type = optional(string, "STANDARD")\n  principal_arn = string\n  tags = optional(map(string), {})\n  groups = optional(list(string))\n})';
    const normalised = 'object({ type = optional(string, "STANDARD"), principal_arn = string, tags = optional(map(string), {}), groups = optional(list(string)) })';
    // WHEN both are read
    const [fromWritten, fromNormalised] = [parseType(written), parseType(normalised)];
    // THEN they are the same type, each attribute with its optionality and default
    expect(fromWritten).toEqual(fromNormalised);
    expect(fromNormalised).toEqual({
      kind: 'object',
      attributes: new Map([
        ['type', { type: { kind: 'string' }, optional: true, default: '"STANDARD"' }],
        ['principal_arn', { type: { kind: 'string' }, optional: false }],
        ['tags', { type: { kind: 'map', element: { kind: 'string' } }, optional: true, default: '{}' }],
        ['groups', { type: { kind: 'list', element: { kind: 'string' } }, optional: true }],
      ]),
    });
  });

  test('reads a default that holds brackets and a parenthesis in a string', () => {
    const type = parseType('object({ a = optional(list(string), ["x)", "(y"]), b = optional(object({ c = number }), { c = 1 }) })');
    expect(type.kind === 'object' && [...type.attributes.values()].map((attribute) => attribute.default)).toEqual(['["x)", "(y"]', '{ c = 1 }']);
  });

  test.each([
    ['strnig', /strnig is not a Terraform type/],
    ['optional(string)', /optional\(\.\.\.\) is only allowed for an attribute of object/],
    ['list(string', /expected "\)"/],
    ['map(string) extra', /the type ends here, but more text follows at character 13/],
    ['object({ a = string, a = number })', /attribute a is declared twice/],
  ])('refuses %s with a sentence saying why', (text, reason) => {
    expect(() => parseType(text)).toThrow(reason);
  });
});

describe('conformsTo', () => {
  test('converts numbers and bools to string, and numeric or boolean strings back', () => {
    expect(conformsTo(5, parseType('string'))).toEqual([]);
    expect(conformsTo(true, parseType('string'))).toEqual([]);
    expect(conformsTo('5', parseType('number'))).toEqual([]);
    expect(conformsTo('-1.5e3', parseType('number'))).toEqual([]);
    expect(conformsTo('false', parseType('bool'))).toEqual([]);
  });

  test('reports values Terraform cannot convert', () => {
    expect(conformsTo('three', parseType('number'))).toEqual(['expected a number, got "three".']);
    expect(conformsTo('yes', parseType('bool'))).toEqual(['expected a bool, got "yes".']);
    expect(conformsTo(1, parseType('bool'))).toEqual(['expected a bool, got 1.']);
    expect(conformsTo({ a: 1 }, parseType('string'))).toEqual(['expected a string, got an object.']);
    expect(conformsTo(['a'], parseType('map(string)'))).toEqual(['expected a map, got an array of 1.']);
    expect(conformsTo(['a'], parseType('tuple([string, number])'))).toEqual(['expected a tuple of 2 elements, got an array of 1.']);
  });

  test('checks every element of lists, sets, tuples and maps, naming it by its path', () => {
    // GIVEN a map of lists with one bad element
    const type = parseType('map(list(number))');
    // WHEN a value is checked at the path of its argument
    const problems = conformsTo({ 'kubernetes.io/a': [1, '2'], b: [3, 'x'] }, type, ['sizes']);
    // THEN the bad element is named by its full path
    expect(problems).toEqual(['sizes.b[1]: expected a number, got "x".']);
    expect(conformsTo(['a', 1], parseType('tuple([string, number])'))).toEqual([]);
    expect(conformsTo([{}], parseType('set(string)'))).toEqual(['[0]: expected a string, got an object.']);
  });

  test('requires the attributes an object type does not mark optional', () => {
    const type = parseType('object({ principal_arn = string, type = optional(string, "STANDARD") })');
    expect(conformsTo({ type: 'STANDARD' }, type, ['access_entries', 'argocd'])).toEqual([
      'access_entries.argocd: lacks the required attribute principal_arn (a string).',
    ]);
  });

  test('reports an attribute the object type does not declare, which Terraform would drop', () => {
    // GIVEN a node group with instance_type where the type has instance_types
    const type = parseType('map(object({ instance_types = optional(list(string)), min_size = optional(number) }))');
    // WHEN it is checked
    const problems = conformsTo({ default: { instance_type: 'm6i.large', min_size: 3 } }, type);
    // THEN the misspelt attribute is reported with the likely intended one and every known one
    expect(problems).toEqual([
      'default: unknown attribute instance_type, which Terraform would drop without a word; did you mean instance_types? Expected one of: instance_types, min_size.',
    ]);
  });

  test('accepts null for optional attributes and any, and nowhere else', () => {
    const type = parseType('object({ name = optional(string), arn = string, extra = any })');
    expect(conformsTo({ name: null, arn: 'a', extra: null }, type)).toEqual([]);
    expect(conformsTo({ arn: null, extra: 1 }, type)).toEqual(['arn: expected a string, got null.']);
    expect(conformsTo([null], parseType('list(string)'))).toEqual(['[0]: expected a string, got null.']);
  });

  test('accepts anything for any', () => {
    expect(conformsTo({ deep: [1, { x: null }] }, parseType('any'))).toEqual([]);
    expect(conformsTo({ a: { b: 1 } }, parseType('map(any)'))).toEqual([]);
  });

  test('accepts a template for any type, as Terraform only knows its type later', () => {
    expect(conformsTo('${module.vpc.private_subnets}', parseType('list(string)'))).toEqual([]);
    expect(conformsTo('${var.size}', parseType('number'))).toEqual([]);
    expect(conformsTo('%{ if var.on }x%{ endif }', parseType('object({ a = string })'))).toEqual([]);
  });

  test('treats escaped $${ as a literal string, not a template', () => {
    expect(conformsTo('$${literal}', parseType('number'))).toEqual(['expected a number, got "$${literal}".']);
  });
});

describe('templateExpressions', () => {
  test('returns the code of each interpolation and directive, several per string', () => {
    expect(templateExpressions('arn:${local.partition}:iam::${var.account}:role/x')).toEqual(['local.partition', 'var.account']);
    expect(templateExpressions('%{ for s in var.names }${s}%{ endfor }')).toEqual([' for s in var.names ', 's', ' endfor ']);
    expect(templateExpressions('plain text, $${escaped} and %%{escaped}')).toEqual([]);
  });

  test('empties quoted strings inside an interpolation and lists their own templates after it', () => {
    // GIVEN an interpolation with braces, a string that looks like a reference and a nested template
    const template = '${merge({ a = "module.fake.x}" }, { b = "${module.vpc.vpc_id}" })}';
    // WHEN its expressions are read
    const expressions = templateExpressions(template);
    // THEN the string's text is gone but the nested template's code is there
    expect(expressions).toEqual(['merge({ a = "" }, { b = "" })', 'module.vpc.vpc_id']);
  });
});

describe('similarNames', () => {
  test('finds near misspellings and the name without a leading word', () => {
    expect(similarNames('instance_type', ['instance_types', 'ami_type', 'min_size'])).toEqual(['instance_types']);
    expect(similarNames('cluster_addons', ['addons', 'name'])).toEqual(['addons']);
    expect(similarNames('vpc', ['name', 'azs'])).toEqual([]);
  });
});
