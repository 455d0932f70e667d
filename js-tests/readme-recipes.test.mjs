// The README's embedding recipes are the files e2e/toolchains/ builds and checks in Chromium:
// each block marked `<!-- recipe: NAME/PATH -->` is that file, whole, and each marked
// `<!-- recipe: NAME/PATH (excerpt) -->` is a run of its lines. Every toolchain has a recipe.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const toolchains = new URL('e2e/toolchains/', root);
const BLOCK = /<!-- recipe: (\S+?)( \(excerpt\))? -->\n```[a-z]*\n([\s\S]*?)\n```/g;
const blocks = [...readme.matchAll(BLOCK)].map(([, path, excerpt, body]) => ({ path, excerpt: Boolean(excerpt), body }));

test('the README has recipe blocks, each marker followed by its code block', () => {
  assert.ok(blocks.length >= 10, `${blocks.length} recipe blocks`);
  assert.equal(blocks.length, (readme.match(/<!-- recipe: /g) ?? []).length, 'a recipe marker without a code block right after it');
});

test('each recipe block is the file the toolchain test builds (whole, or a run of its lines)', () => {
  for (const { path, excerpt, body } of blocks) {
    const file = readFileSync(new URL(path, toolchains), 'utf8').replace(/\n$/, '');
    if (excerpt) {
      const lines = file.split('\n');
      const want = body.split('\n');
      const at = lines.findIndex((_, i) => want.every((l, k) => lines[i + k] === l));
      assert.notEqual(at, -1, `README block for ${path} is not a run of lines of that file:\n${body}`);
    } else {
      assert.equal(body, file, `README block for ${path} differs from the file`);
    }
  }
});

test('every toolchain under e2e/toolchains/ has a recipe in the README', () => {
  const names = readdirSync(toolchains).filter((n) => statSync(new URL(n, toolchains)).isDirectory() && n !== 'node_modules');
  for (const name of names) assert.ok(blocks.some((b) => b.path.startsWith(`${name}/`)), `no README recipe for ${name}`);
  assert.deepEqual(names.sort(), ['astro', 'docusaurus', 'html', 'mkdocs', 'node', 'vite', 'vitepress']);
});

// The README's examples of an organisation's own settings are the files e2e/own-settings.test.mjs
// renders, checks and downloads from in Chromium: each block marked `<!-- example: PATH -->`
// is that file, whole.
const EXAMPLE = /<!-- example: (\S+?) -->\n```[a-z]*\n([\s\S]*?)\n```/g;
const examples = [...readme.matchAll(EXAMPLE)].map(([, path, body]) => ({ path, body }));

test('each example block is the file the own-settings test uses, and every such file is shown', () => {
  assert.equal(examples.length, (readme.match(/<!-- example: /g) ?? []).length, 'an example marker without a code block right after it');
  for (const { path, body } of examples) {
    assert.equal(body, readFileSync(new URL(path, root), 'utf8').replace(/\n$/, ''), `README block for ${path} differs from the file`);
  }
  const dir = new URL('e2e/own-settings/', root);
  const files = readdirSync(dir).map((n) => `e2e/own-settings/${n}`).sort();
  assert.deepEqual(examples.map((e) => e.path).filter((p) => p.startsWith('e2e/own-settings/')).sort(), files);
  assert.ok(files.length >= 3, 'inline JSON, attributes, autoconfig');
});
