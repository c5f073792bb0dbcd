// @vitest-environment node
// The two regexes that read HTML strings before the browser does: which start tags the rewrite looks at
// (LOADING_START_TAGS, on page-supplied HTML), and where the held form's start tag ends (SERIALIZED_START_TAG, on
// outerHTML). A tag cut short or ended at the wrong `>` would let a tracker's URL reach the parser unheld.
import { describe, expect, it } from 'vitest'
import { HAS_LOADING_TAG, HAS_SCRIPT_OR_SHADOW_ROOT, LOADING_START_TAGS, SERIALIZED_START_TAG } from '../src/gate/intercept-html'

describe('LOADING_START_TAGS: every start tag of a loading element, ended where the HTML tokenizer ends it', () => {
  const cases: [what: string, html: string, tags: string[] | null][] = [
    ['a double-quoted value with ">" in it', '<img alt="a>b" src="https://t.example/p.gif">', ['<img alt="a>b" src="https://t.example/p.gif">']],
    ['a single-quoted value with ">" in it', `<img alt='a>b' src='https://t.example/p.gif'>`, [`<img alt='a>b' src='https://t.example/p.gif'>`]],
    ['a single quote inside double quotes', `<img alt="it's > that" src=x.gif>`, [`<img alt="it's > that" src=x.gif>`]],
    ['unquoted values (the first ">" ends the tag)', '<img src=https://t.example/p.gif alt=a>b', ['<img src=https://t.example/p.gif alt=a>']],
    ['a space around "=" before a quoted value', '<img alt = "a>b" src=x>', ['<img alt = "a>b" src=x>']],
    ['a quote that opens no value is part of a name', '<img "a>b">', ['<img "a>']],
    ['an uppercase tag name', '<IMG SRC="x.gif">', ['<IMG SRC="x.gif">']],
    ['a mixed-case script', '<ScRiPt src="t.js"></ScRiPt>', ['<ScRiPt src="t.js">']],
    ['a longer tag name starting like a loading one', '<scriptx src="t.js"></scriptx><imgx src=x>', null],
    ['an end tag', '</script>', null],
    ['"/" right after the name', '<img/src="x.gif">', ['<img/src="x.gif">']],
    ['a self-closing tag', '<embed src="x.swf"/>', ['<embed src="x.swf"/>']],
    ['a bare tag', '<script>', ['<script>']],
    ['newlines inside the tag and in a value', '<iframe\n  src="https://t.example/f"\n  title="a\n>b"\n>', ['<iframe\n  src="https://t.example/f"\n  title="a\n>b"\n>']],
    ['tabs between attributes', '<source\tsrcset="a.png 1x">', ['<source\tsrcset="a.png 1x">']],
    ['two tags in one string', '<p>x</p><img src=a.gif><script src="b.js"></script>', ['<img src=a.gif>', '<script src="b.js">']],
    ['every loading element', '<img><iframe><script><source><link><video><audio><object><embed>', ['<img>', '<iframe>', '<script>', '<source>', '<link>', '<video>', '<audio>', '<object>', '<embed>']],
    ['an element that does not load', '<div src="x"><a href="y"><style>', null],
    ['a tag split across strings (no closing ">")', '<img src="https://t.example/p.gif"', null],
    ['an unclosed quote: the regex ends at the next ">" (the parser then drops the tag)', '<img src="a>b', ['<img src="a>']],
  ]
  it.each(cases)('%s', (_, html, tags) => {
    expect(html.match(LOADING_START_TAGS)).toEqual(tags)
  })
})

describe('SERIALIZED_START_TAG: the start tag that begins outerHTML (every value in double quotes)', () => {
  const cases: [what: string, html: string, tag: string | null][] = [
    ['a held script', '<script type="text/plain" data-src="t.js" data-consent-rule="marketing"></script>', '<script type="text/plain" data-src="t.js" data-consent-rule="marketing">'],
    ['">" inside a value', '<img alt="a>b" data-src="p.gif">', '<img alt="a>b" data-src="p.gif">'],
    ['a single quote inside a value', `<img alt="it's" data-src="p.gif">`, `<img alt="it's" data-src="p.gif">`],
    ['a newline inside a value', '<iframe title="a\n>b" data-src="f"></iframe>', '<iframe title="a\n>b" data-src="f">'],
    ['attributes without value', '<video controls="" data-src="v.mp4"><source data-src="v.webm"></video>', '<video controls="" data-src="v.mp4">'],
    ['a void element followed by text', '<img data-src="p.gif">after', '<img data-src="p.gif">'],
    ['an uppercase name (a foreign serializer)', '<IMG DATA-SRC="p.gif">', '<IMG DATA-SRC="p.gif">'],
    ['single quotes, which outerHTML never writes: the first ">" outside double quotes', `<img alt='a>b'>`, `<img alt='a>`],
    ['no closing ">"', '<img data-src="p.gif"', null],
    ['text before the tag', 'x<img>', null],
  ]
  it.each(cases)('%s', (_, html, tag) => {
    expect(SERIALIZED_START_TAG.exec(html)?.[0] ?? null).toBe(tag)
  })
})

describe('the quick tests that spare a parse', () => {
  it.each([
    ['<img src=x>', true],
    ['<IFRAME>', true],
    ['<scriptx>', false],
    ['<p>no tag that loads</p>', false],
    ['<imgx>', false],
    ['text < img', false],
  ] as const)('HAS_LOADING_TAG %j: %s', (html, expected) => {
    expect(HAS_LOADING_TAG.test(html)).toBe(expected)
  })

  it.each([
    ['<script>x()</script>', true],
    ['<div><template shadowrootmode="open"><img></template></div>', true],
    ['<SCRIPT>', true],
    ['<img src=x><p>', false],
  ] as const)('HAS_SCRIPT_OR_SHADOW_ROOT %j: %s', (html, expected) => {
    expect(HAS_SCRIPT_OR_SHADOW_ROOT.test(html)).toBe(expected)
  })
})
