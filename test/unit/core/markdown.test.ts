import * as assert from 'node:assert/strict';
import { escapeMarkdown } from '../../../src/core/markdown';

describe('escapeMarkdown', () => {
  it('shows a key label that looks like a theme icon, a link or emphasis as the text it is', () => {
    assert.equal(escapeMarkdown('$(bug) [x](command:evil) *bold* `code`'), '\\$\\(bug\\) \\[x\\]\\(command:evil\\) \\*bold\\* \\`code\\`');
  });

  it('keeps HTML, tables, strikethrough and headings from rendering', () => {
    assert.equal(escapeMarkdown('<img> a|b ~~x~~ #1'), '\\<img\\> a\\|b \\~\\~x\\~\\~ \\#1');
  });

  it('escapes "-", "=" and "1." only where they would start a list, a rule or a heading', () => {
    assert.equal(escapeMarkdown('ci-pipeline api.avala.ai X-Avala-Api-Key'), 'ci-pipeline api.avala.ai X-Avala-Api-Key');
    assert.equal(escapeMarkdown('- item\n===\n1. first\n  2) second'), '\\- item\n\\===\n1\\. first\n  2\\) second');
  });

  it('escapes a backslash first, so it cannot combine with the next character', () => {
    assert.equal(escapeMarkdown('a\\*b'), 'a\\\\\\*b');
  });
});
