import { formatFieldPath } from '../../output/field-path';

describe('field paths', () => {
  test('are dotted, with list indexes in brackets', () => {
    expect(formatFieldPath(['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('spec.template.spec.containers[0].image');
  });

  test('quote map keys that hold dots, slashes or spaces', () => {
    expect(formatFieldPath(['metadata', 'annotations', 'checksum/content'])).toBe('metadata.annotations["checksum/content"]');
    expect(formatFieldPath(['data', 'index.html'])).toBe('data["index.html"]');
    expect(formatFieldPath(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe('metadata.labels["app.kubernetes.io/name"]');
  });
});

test('an empty path names the whole value as the caller says', () => {
  expect(formatFieldPath([])).toBe('');
  expect(formatFieldPath([], '(root)')).toBe('(root)');
});
