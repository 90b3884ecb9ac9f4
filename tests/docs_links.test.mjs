// Checks the links of README.md and docs/*.md: every relative link names a file or folder of the
// repository, and every #anchor names a heading of the target markdown file under GitHub's
// heading-anchor rules (lower case; punctuation other than `-` and `_` dropped; spaces become `-`;
// a repeated heading gets `-1`, `-2` …). Links inside code (fenced blocks and `inline code`) are
// not links. Also checks that nothing points outside the repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The markdown without fenced code blocks (their lines are kept empty, so line numbers hold). */
function withoutFences(text) {
  let fence = null;
  return text.split('\n').map((line) => {
    const m = line.match(/^\s{0,3}(`{3,}|~{3,})/);
    if (fence) {
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length) fence = null;
      return '';
    }
    if (m) {
      fence = m[1];
      return '';
    }
    return line;
  });
}

/** Inline code spans replaced by spaces of the same length. */
function withoutCodeSpans(line) {
  return line.replace(/(`+)[\s\S]*?\1/g, (s) => ' '.repeat(s.length));
}

/** A heading's text as GitHub renders it: code spans keep their text, links their label, no markup. */
function headingText(raw) {
  return raw
    .replace(/\s+#+\s*$/, '') // closing hashes
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '')
    .replace(/\*+/g, '')
    .trim();
}

/** GitHub's anchor of a heading text (github-slugger's rule, without the duplicate suffix). */
export function slug(text) {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a markdown text defines: its headings' slugs (with duplicate suffixes) and HTML ids. */
export function anchorsOf(text) {
  const seen = new Map();
  const anchors = new Set();
  for (const line of withoutFences(text)) {
    const h = line.match(/^\s{0,3}#{1,6}\s+(.*)$/);
    if (h) {
      const base = slug(headingText(h[1]));
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

/** The links of a markdown text: `{line, target}` for inline links, images and reference definitions. */
export function linksOf(text) {
  const out = [];
  withoutFences(text).forEach((raw, i) => {
    const line = withoutCodeSpans(raw);
    for (const m of line.matchAll(/!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      out.push({ line: i + 1, target: m[1] });
    }
    const def = line.match(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/);
    if (def) out.push({ line: i + 1, target: def[1] });
  });
  return out;
}

/** Problems with the relative links of the markdown `files` (paths relative to `base`). */
export function brokenLinks(base, files) {
  const problems = [];
  const anchorCache = new Map();
  const anchors = (file) => {
    if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(fs.readFileSync(file, 'utf8')));
    return anchorCache.get(file);
  };
  for (const rel of files) {
    const file = path.join(base, rel);
    for (const { line, target } of linksOf(fs.readFileSync(file, 'utf8'))) {
      const where = `${rel}:${line}: ${target}`;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // URL, mailto:
      const hash = target.indexOf('#');
      const pathPart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
      const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
      const dest = pathPart === '' ? file : path.resolve(path.dirname(file), pathPart);
      if (path.relative(base, dest).startsWith('..') || path.isAbsolute(pathPart)) {
        problems.push(`${where}: points outside the repository`);
        continue;
      }
      if (!fs.existsSync(dest)) {
        problems.push(`${where}: no such file`);
        continue;
      }
      if (anchor === null) continue;
      if (dest.endsWith('.md')) {
        if (!anchors(dest).has(anchor)) problems.push(`${where}: no heading with anchor #${anchor}`);
      } else if (!/^L\d+(-L\d+)?$/.test(anchor)) {
        problems.push(`${where}: #${anchor} in a file that is not markdown`);
      }
    }
  }
  return problems;
}

/** README.md and every markdown file under docs/, relative to the repository root. */
function documentation() {
  const docs = fs.existsSync(path.join(root, 'docs'))
    ? fs.readdirSync(path.join(root, 'docs'), { recursive: true })
        .filter((f) => f.endsWith('.md'))
        .map((f) => path.join('docs', f))
    : [];
  return ['README.md', ...docs.sort()];
}

test('slugs follow GitHub heading anchors', () => {
  const cases = [
    ['Quantile scoring', 'quantile-scoring'],
    ['`rfm-r` scoring', 'rfm-r-scoring'],
    ['P(alive)', 'palive'],
    ['11-segment grid (rfm11)', '11-segment-grid-rfm11'],
    ['`high_value_lapsed`', 'high_value_lapsed'],
    ['summary.input', 'summaryinput'],
    ['Days & windows', 'days--windows'],
    ['Conventions (one line each; the rules are in [docs/](docs/README.md))', 'conventions-one-line-each-the-rules-are-in-docs'],
    ['客户分级 Grades', '客户分级-grades'],
  ];
  for (const [text, want] of cases) assert.equal(slug(headingText(text)), want, text);
  assert.deepEqual([...anchorsOf('# A\n## Notes\n```\n# not a heading\n```\n## Notes\n<a id="x"></a>\n')], [
    'a',
    'notes',
    'notes-1',
    'x',
  ]);
});

test('the checker finds broken links (it can fail)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierwise-links-'));
  fs.mkdirSync(path.join(dir, 'docs'));
  fs.writeFileSync(path.join(dir, 'docs', 'a.md'), '# A\n## Two words\n## Two words\n');
  fs.writeFileSync(
    path.join(dir, 'README.md'),
    [
      '# Readme',
      '[ok](docs/a.md) [ok](docs/a.md#two-words) [ok](docs/a.md#two-words-1) [ok](#readme) [ok](https://example.com/x#y)',
      '[missing file](docs/b.md) [missing anchor](docs/a.md#three-words) [outside](../shared/SPEC.md#1-input)',
      '[ref]: docs/nothing.md',
      '`[in code](docs/none.md)`',
      '```',
      '[in a fence](docs/none.md)',
      '```',
    ].join('\n'),
  );
  assert.deepEqual(brokenLinks(dir, ['README.md', path.join('docs', 'a.md')]), [
    'README.md:3: docs/b.md: no such file',
    'README.md:3: docs/a.md#three-words: no heading with anchor #three-words',
    'README.md:3: ../shared/SPEC.md#1-input: points outside the repository',
    'README.md:4: docs/nothing.md: no such file',
  ]);
});

test('every relative link and anchor in README.md and docs/ resolves', () => {
  const files = documentation();
  assert.ok(files.includes(path.join('docs', 'README.md')), 'docs/README.md is missing');
  const problems = brokenLinks(root, files);
  assert.deepEqual(problems, [], `broken links:\n${problems.join('\n')}`);
});

test('the documentation does not send readers outside the repository for the rules', () => {
  for (const rel of documentation()) {
    const text = fs.readFileSync(path.join(root, rel), 'utf8');
    assert.ok(!/\.\.\/shared|SPEC\.md|SPEC §/.test(text), `${rel} refers to the external SPEC`);
  }
});

test('the code points at docs/ sections that exist, and never at the external SPEC', () => {
  const sources = [
    ...fs.readdirSync(path.join(root, 'src'), { recursive: true }).map((f) => path.join('src', f)),
    ...fs.readdirSync(path.join(root, 'www'), { recursive: true })
      .map((f) => path.join('www', f))
      .filter((f) => !/^www\/(pkg|vendor|data)\//.test(f)),
  ].filter((f) => /\.(rs|js|ts)$/.test(f));
  const problems = [];
  let refs = 0;
  for (const rel of sources) {
    const text = fs.readFileSync(path.join(root, rel), 'utf8');
    if (/\.\.\/shared|SPEC\.md|SPEC §/.test(text)) problems.push(`${rel}: refers to the external SPEC`);
    for (const m of text.matchAll(/docs\/([a-z]+\.md)(?:#([a-z0-9-]+))?/g)) {
      refs++;
      const doc = path.join(root, 'docs', m[1]);
      if (!fs.existsSync(doc)) problems.push(`${rel}: docs/${m[1]} does not exist`);
      else if (m[2] && !anchorsOf(fs.readFileSync(doc, 'utf8')).has(m[2])) problems.push(`${rel}: no #${m[2]} in docs/${m[1]}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(refs > 30, `only ${refs} references to docs/ in the code`);
});
