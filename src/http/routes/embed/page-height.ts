import type { QuestionOut, RoleOut } from '../../../content/schemas.js';
import { SIZES } from './page-style.js';

/*
 * How tall an iframe page is when it opens, at a given width, for oEmbed's height: a consumer that
 * runs no script (most CMSs) sets the frame to it, so it must hold the whole page (the pitfalls of
 * a question included) without a lot of empty space below. The page's layout is simple enough to
 * follow line by line: text wraps at word boundaries, each character taking about CHAR_WIDTH of
 * its font size. The estimate leans wide (fonts differ between readers), and
 * test/embed/pages-browser.system.test.ts checks it against Chromium's layout. Pages that change size
 * later (a reader opens a question) tell hosts that listen (page-style.ts, RESIZE_SCRIPT).
 */

const CHAR_WIDTH = 0.56;
const BOLD_CHAR_WIDTH = 0.62;

const body = SIZES.font;
const small = SIZES.font * SIZES.small;

/** Lines a text takes at a width, wrapping whole words. */
function lineCount(text: string, fontPx: number, width: number, bold = false): number {
  const perLine = Math.max(1, Math.floor(width / (fontPx * (bold ? BOLD_CHAR_WIDTH : CHAR_WIDTH))));
  let lines = 1;
  let used = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const length = Math.min(word.length, perLine);
    if (used === 0) used = length;
    else if (used + 1 + length <= perLine) used += 1 + length;
    else {
      lines += 1;
      used = length;
    }
  }
  return lines;
}

/** A block of the page: its margins (which collapse with its neighbours') and its height. */
interface Block {
  top: number;
  height: number;
  bottom: number;
}

const text = (t: string, fontPx: number, lineHeight: number, width: number, bold = false) =>
  lineCount(t, fontPx, width, bold) * fontPx * lineHeight;

/** Blocks one after another, adjacent margins collapsing as CSS collapses them. */
function stack(blocks: Block[]): Block {
  if (blocks.length === 0) return { top: 0, height: 0, bottom: 0 };
  let height = blocks[0]!.height;
  for (let i = 1; i < blocks.length; i++) height += Math.max(blocks[i - 1]!.bottom, blocks[i]!.top) + blocks[i]!.height;
  return { top: blocks[0]!.top, height, bottom: blocks[blocks.length - 1]!.bottom };
}

/** A card: padding and border around its content, whose outer margins stay inside it. */
const card = (content: Block[]): Block => ({
  top: 0,
  height: 2 * (SIZES.cardY + SIZES.cardBorder) + stack(content).height,
  bottom: SIZES.cardGap,
});

const label = (): Block => ({ top: 10, height: small * SIZES.line, bottom: 2 });
const paragraph = (t: string, width: number): Block => ({
  top: 0,
  height: text(t, body, SIZES.line, width),
  bottom: 8,
});
const meta = (t: string, width: number): Block => ({ top: 2, height: text(t, small, SIZES.line, width), bottom: 0 });
const facts = (q: QuestionOut) => [q.round?.name, q.difficulty, q.competency].filter(Boolean).join(' · ');

function answerBlocks(q: QuestionOut, width: number): Block[] {
  const blocks = [label(), paragraph(q.whyAsked, width), label(), paragraph(q.howToAnswer, width)];
  if (q.starExamples.length) blocks.push({ top: 10, height: body * SIZES.line, bottom: 0 });
  if (q.pitfalls.length) {
    // The list is indented by 1.2em.
    const items = q.pitfalls.reduce((h, p) => h + text(p.text, body, SIZES.line, width - 1.2 * body), 0);
    blocks.push(label(), { top: 4, height: items, bottom: 0 });
  }
  return blocks;
}

const page = (blocks: Block[], width: number, footer: string): number => {
  const inner = width - 2 * SIZES.page;
  const all = stack([...blocks, { top: 16, height: text(footer, small, SIZES.line, inner), bottom: 0 }]);
  return Math.ceil(2 * SIZES.page + all.top + all.height + all.bottom);
};

/** The width of text inside a card on a page of this width. */
const cardText = (width: number) => width - 2 * SIZES.page - 2 * (SIZES.cardX + SIZES.cardBorder);

/** A question page (questionPage in html.ts), its STAR example folded. */
export function questionPageHeight(q: QuestionOut, width: number): number {
  const inner = cardText(width);
  const content = [
    { top: 0, height: text(q.prompt, body * SIZES.h1, SIZES.h1Line, inner, true), bottom: 4 },
    meta(facts(q), inner),
    ...answerBlocks(q, inner),
  ];
  return page([card(content)], width, `A ${q.role.title} interview question · All ${q.role.title} questions`);
}

/** A role page (rolePage in html.ts): its questions and FAQs folded to their headings. */
export function rolePageHeight(role: RoleOut, width: number): number {
  const inner = width - 2 * SIZES.page;
  const folded = cardText(width) - 1.1 * body;
  const heading = (t: string): Block => ({
    top: 20,
    height: text(t, body * SIZES.h2, SIZES.h2Line, inner, true),
    bottom: 8,
  });
  const questions = role.questions ?? [];
  const faqs = role.faqs ?? [];
  const blocks: Block[] = [
    {
      top: 0,
      height: text(`${role.title} interview questions`, body * SIZES.h1, SIZES.h1Line, inner, true),
      bottom: 4,
    },
    meta(`${role.category.name} · ${questions.length} questions · ${role.roundCount} rounds`, inner),
    paragraph(role.summary, inner),
  ];
  if (questions.length) blocks.push(heading('Questions'));
  for (const q of questions)
    blocks.push(
      card([{ top: 0, height: text(q.prompt, body, SIZES.h3Line, folded, true), bottom: 0 }, meta(facts(q), folded)]),
    );
  if (faqs.length) blocks.push(heading('Frequently asked'));
  for (const f of faqs)
    blocks.push(card([{ top: 0, height: text(f.question, body, SIZES.h3Line, folded, true), bottom: 0 }]));
  return page(blocks, width, 'Interview questions by Interview Content API');
}
