import { DOMParser, onWarningStopParsing, type Element, type Node } from '@xmldom/xmldom';
import { AppError } from '../errors.js';

/*
 * XLIFF 2.0 (OASIS, core only), as far as plain-text content needs it: files of units, each unit
 * one text with its source and target. Written by hand (escaping is all there is to it) and read with
 * @xmldom/xmldom, a maintained, dependency-free parser that stops at the first well-formedness error.
 *
 * What translators' tools do to a file is taken as they do it: a unit split into several segments
 * (sentence by sentence) is joined back, <ignorable> whitespace included; notes, groups and elements
 * of other namespaces (modules, tool metadata) are passed over. What cannot be plain text is refused
 * with the unit it is in: inline codes (<ph>, <pc>, <mrk>, ...), a DOCTYPE (entity expansion),
 * characters XML 1.0 cannot carry.
 */

const XLIFF_NAMESPACE = 'urn:oasis:names:tc:xliff:document:2.0';
/** XLIFF 2.1 and 2.2 files keep the 2.0 core namespace for what we read. */
const READABLE_VERSIONS = new Set(['2.0', '2.1']);

type SegmentState = 'initial' | 'translated' | 'reviewed' | 'final';
const STATES = new Set<string>(['initial', 'translated', 'reviewed', 'final']);

interface XliffUnit {
  /** Unique within its file; an XML NMTOKEN (letters, digits, `.`, `-`, `_`, `:`). */
  id: string;
  source: string;
  /** Absent: not translated yet. */
  target?: string | undefined;
  /** `initial` says the target (if any) is not to be taken as a translation. */
  state: SegmentState;
}

export interface XliffFile {
  id: string;
  units: XliffUnit[];
}

export interface XliffDocument {
  srcLang: string;
  trgLang: string;
  files: XliffFile[];
}

const NMTOKEN = /^[\p{L}\p{N}._:-]+$/u;
// XML 1.0 Char: tab, newline, carriage return, and U+0020 up, without surrogates, U+FFFE and U+FFFF.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const refuse = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', `The XLIFF file cannot be read: ${path ? `${path}: ` : ''}${message}`, {
    errors: [{ path, message }],
  });

function escapeText(text: string, where: string): string {
  if (NOT_XML_CHAR.test(text)) throw refuse(where, 'holds a character XML 1.0 cannot carry (a control character)');
  // \r is written as a reference: a parser would otherwise turn \r\n into \n.
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('\r', '&#13;');
}

function attribute(value: string, where: string): string {
  if (!NMTOKEN.test(value)) throw refuse(where, `"${value}" is not a valid XLIFF id`);
  return value;
}

/** The document as XLIFF 2.0 text, indented, one segment per unit. */
export function writeXliff(doc: XliffDocument): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<xliff xmlns="${XLIFF_NAMESPACE}" version="2.0" srcLang="${attribute(doc.srcLang, 'srcLang')}" trgLang="${attribute(doc.trgLang, 'trgLang')}">`,
  ];
  for (const file of doc.files) {
    lines.push(`  <file id="${attribute(file.id, file.id)}">`);
    const seen = new Set<string>();
    for (const unit of file.units) {
      const where = `${file.id}/${unit.id}`;
      if (seen.has(unit.id)) throw refuse(where, 'unit ids must be unique within a file');
      seen.add(unit.id);
      lines.push(
        `    <unit id="${attribute(unit.id, where)}">`,
        `      <segment state="${unit.state}">`,
        `        <source>${escapeText(unit.source, where)}</source>`,
        ...(unit.target === undefined ? [] : [`        <target>${escapeText(unit.target, where)}</target>`]),
        '      </segment>',
        '    </unit>',
      );
    }
    lines.push('  </file>');
  }
  lines.push('</xliff>', '');
  return lines.join('\n');
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

const elements = (node: Node): Element[] => {
  const out: Element[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === ELEMENT_NODE) out.push(child as Element);
  }
  return out;
};
const isCore = (el: Element, name: string) => el.namespaceURI === XLIFF_NAMESPACE && el.localName === name;

/** Text of a <source> or <target>: text and CDATA only. */
function plainText(el: Element, where: string): string {
  let text = '';
  for (let child = el.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === TEXT_NODE || child.nodeType === CDATA_SECTION_NODE) text += child.nodeValue ?? '';
    else if (child.nodeType === ELEMENT_NODE)
      throw refuse(
        where,
        `<${(child as Element).localName}> in <${el.localName}>: our texts are plain text, without inline codes`,
      );
  }
  if (NOT_XML_CHAR.test(text)) throw refuse(where, 'holds a character XML 1.0 cannot carry');
  return text;
}

/**
 * Reads an XLIFF 2.0 (or 2.1) document. Throws a 400-class AppError naming the place of the first
 * problem: not well-formed XML, a DOCTYPE, not XLIFF 2, a file or unit without id, a unit id given
 * twice in a file, inline codes, an unknown segment state.
 */
export function readXliff(xml: string): XliffDocument {
  let doc;
  try {
    // Tools on Windows often start the file with a byte-order mark.
    doc = new DOMParser({ onError: onWarningStopParsing }).parseFromString(xml.replace(/^\uFEFF/, ''), 'text/xml');
  } catch (error) {
    const detail =
      error instanceof Error ? error.message.split('\n')[0]!.replace(/^Reporting \w+ "(.*)" caused.*$/, '$1') : '';
    throw refuse('', `not well-formed XML (${detail})`);
  }
  if (doc.doctype) throw refuse('', 'a DOCTYPE is not accepted');
  const root = doc.documentElement;
  if (!root || !isCore(root, 'xliff')) throw refuse('', `the root element must be <xliff xmlns="${XLIFF_NAMESPACE}">`);
  const version = root.getAttribute('version') ?? '';
  if (!READABLE_VERSIONS.has(version)) throw refuse('version', `XLIFF ${version || '(no version)'} is not 2.0 or 2.1`);
  const out: XliffDocument = {
    srcLang: root.getAttribute('srcLang') ?? '',
    trgLang: root.getAttribute('trgLang') ?? '',
    files: [],
  };
  for (const fileEl of elements(root).filter((el) => isCore(el, 'file'))) {
    const fileId = fileEl.getAttribute('id');
    if (!fileId) throw refuse('file', '<file> without an id');
    const file: XliffFile = { id: fileId, units: [] };
    const seen = new Set<string>();
    const visit = (parent: Element) => {
      for (const el of elements(parent)) {
        if (isCore(el, 'group')) visit(el);
        else if (isCore(el, 'unit')) {
          const unit = readUnit(el, fileId);
          if (seen.has(unit.id)) throw refuse(`${fileId}/${unit.id}`, 'the unit is given twice');
          seen.add(unit.id);
          file.units.push(unit);
        }
      }
    };
    visit(fileEl);
    out.files.push(file);
  }
  return out;
}

/** One unit's text: its segments and ignorables joined in order. */
function readUnit(el: Element, fileId: string): XliffUnit {
  const id = el.getAttribute('id');
  if (!id) throw refuse(fileId, '<unit> without an id');
  const where = `${fileId}/${id}`;
  let source = '';
  let target = '';
  let complete = true;
  let state: SegmentState = 'final';
  const order: SegmentState[] = ['initial', 'translated', 'reviewed', 'final'];
  for (const part of elements(el)) {
    const segment = isCore(part, 'segment');
    if (!segment && !isCore(part, 'ignorable')) continue;
    const sourceEl = elements(part).find((c) => isCore(c, 'source'));
    const targetEl = elements(part).find((c) => isCore(c, 'target'));
    if (!sourceEl) throw refuse(where, `<${part.localName}> without a <source>`);
    const partSource = plainText(sourceEl, where);
    source += partSource;
    if (targetEl) target += plainText(targetEl, where);
    else if (segment) complete = false;
    else target += partSource;
    if (segment) {
      const s = part.getAttribute('state') || 'initial';
      if (!STATES.has(s)) throw refuse(where, `unknown segment state "${s}"`);
      // A unit is as far along as its least advanced segment.
      if (order.indexOf(s as SegmentState) < order.indexOf(state)) state = s as SegmentState;
    }
  }
  return { id, source, target: complete ? target : undefined, state };
}
