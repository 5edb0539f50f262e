// <interview-questions>: interview questions for a role, as accessible cards, on any page.
// Served by the API at /embed/v1/widget.js; no dependencies, no build step. Everything it shows
// is inserted as text (textContent), never as HTML, and nothing it does can throw into the page.

const API_ROOT = new URL('../../', import.meta.url);
const TAG = 'interview-questions';
const ATTRIBUTES = ['role', 'limit', 'round', 'difficulty', 'key', 'theme', 'heading-level'];

const STYLE = `
:host {
  --iq-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --iq-color: #1f2328;
  --iq-muted: #57606a;
  --iq-background: transparent;
  --iq-card-background: #ffffff;
  --iq-border: #d0d7de;
  --iq-accent: #0b57d0;
  --iq-focus: #0b57d0;
  --iq-radius: 8px;
  --iq-gap: 12px;
  display: block;
  font-family: var(--iq-font);
  color: var(--iq-color);
  background: var(--iq-background);
  line-height: 1.5;
}
:host([hidden]) { display: none; }
:host([theme="dark"]) {
  --iq-color: #e6edf3; --iq-muted: #9da7b3; --iq-card-background: #161b22;
  --iq-border: #30363d; --iq-accent: #7cacf8; --iq-focus: #7cacf8;
}
@media (prefers-color-scheme: dark) {
  :host([theme="auto"]) {
    --iq-color: #e6edf3; --iq-muted: #9da7b3; --iq-card-background: #161b22;
    --iq-border: #30363d; --iq-accent: #7cacf8; --iq-focus: #7cacf8;
  }
}
.list { display: grid; gap: var(--iq-gap); margin: 0; padding: 0; list-style: none; }
.card {
  background: var(--iq-card-background); border: 1px solid var(--iq-border);
  border-radius: var(--iq-radius); padding: 16px;
}
.prompt { margin: 0 0 8px; font-size: 1.1em; line-height: 1.35; }
.meta { margin: 0 0 8px; color: var(--iq-muted); font-size: .85em; }
.label { margin: 12px 0 2px; font-size: .8em; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; color: var(--iq-muted); }
.text { margin: 0; }
.toggle {
  margin-top: 12px; font: inherit; font-weight: 600; color: var(--iq-accent); background: none;
  border: 1px solid var(--iq-border); border-radius: var(--iq-radius); padding: 6px 12px; cursor: pointer;
}
.toggle:focus-visible, .link:focus-visible { outline: 3px solid var(--iq-focus); outline-offset: 2px; }
.star { margin: 8px 0 0; }
.star[hidden] { display: none; }
.star dt { font-weight: 600; }
.star dd { margin: 0 0 6px; }
.pitfalls { margin: 4px 0 0; padding-left: 1.2em; }
.link { display: inline-block; margin-top: var(--iq-gap); color: var(--iq-accent); }
.status { color: var(--iq-muted); margin: 0; }
`;

let instances = 0;

/** An element with its class, part and text; text is always text. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
    node.setAttribute('part', className);
  }
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

class InterviewQuestions extends HTMLElement {
  static get observedAttributes() {
    return ATTRIBUTES;
  }

  constructor() {
    super();
    this.uid = `iq${++instances}`;
    this.root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = STYLE;
    this.body = el('div', 'body');
    this.root.append(style, this.body);
  }

  connectedCallback() {
    this.schedule();
  }

  disconnectedCallback() {
    this.controller?.abort();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.schedule();
  }

  /** Several attributes set in a row load once. */
  schedule() {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      this.load().catch((err) => {
        // A load replaced by a newer one (or by removal from the page) is not an error.
        if (err?.name !== 'AbortError') this.showStatus('Interview questions could not be loaded.', 'error');
      });
    });
  }

  showStatus(message, state) {
    this.setAttribute('state', state);
    this.removeAttribute('aria-busy');
    const status = el('p', 'status', message);
    status.setAttribute('role', state === 'error' ? 'alert' : 'status');
    this.body.replaceChildren(status);
  }

  async load() {
    const role = (this.getAttribute('role') || '').trim();
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(role)) {
      this.showStatus('Interview questions could not be loaded: the role is missing.', 'error');
      return;
    }
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    this.setAttribute('state', 'loading');
    this.setAttribute('aria-busy', 'true');
    const loading = el('p', 'status', 'Loading interview questions…');
    loading.setAttribute('role', 'status');
    this.body.replaceChildren(loading);

    const url = new URL(`v1/roles/${role}/questions`, API_ROOT);
    const limit = Number.parseInt(this.getAttribute('limit') || '5', 10);
    url.searchParams.set('limit', String(Math.min(Math.max(Number.isFinite(limit) ? limit : 5, 1), 20)));
    for (const name of ['round', 'difficulty']) {
      const value = (this.getAttribute(name) || '').trim();
      if (value) url.searchParams.set(name, value);
    }
    const key = (this.getAttribute('key') || '').trim();
    const response = await fetch(url, {
      headers: key ? { authorization: `Bearer ${key}` } : {},
      signal: controller.signal,
      credentials: 'omit',
    });
    if (controller.signal.aborted) return;
    if (!response.ok) {
      this.showStatus(
        response.status === 429
          ? 'Too many requests right now; please try again in a minute.'
          : 'Interview questions could not be loaded.',
        'error',
      );
      return;
    }
    const body = await response.json();
    if (controller.signal.aborted) return;
    this.render(role, Array.isArray(body.data) ? body.data : []);
  }

  render(role, questions) {
    const level = Math.min(Math.max(Number.parseInt(this.getAttribute('heading-level') || '3', 10) || 3, 2), 6);
    const list = el('ul', 'list');
    list.setAttribute('aria-label', 'Interview questions');
    questions.forEach((question, index) => list.append(this.card(question, index, level)));

    const title = questions[0]?.role?.title;
    const link = el('a', 'link', title ? `All ${title} interview questions` : 'All interview questions for this role');
    link.href = new URL(`embed/v1/roles/${role}`, API_ROOT).href;
    link.target = '_blank';
    link.rel = 'noopener';

    const content = questions.length
      ? [list, link]
      : [el('p', 'status', 'No interview questions for this role yet.'), link];
    this.body.replaceChildren(...content);
    this.removeAttribute('aria-busy');
    this.setAttribute('state', 'ready');
  }

  card(question, index, level) {
    const item = el('li', 'item');
    const card = el('article', 'card');
    const headingId = `${this.uid}-q${index}`;
    card.setAttribute('aria-labelledby', headingId);
    const heading = el(`h${level}`, 'prompt', question.prompt);
    heading.id = headingId;
    card.append(heading);

    const facts = [question.round?.name, question.difficulty, question.competency].filter(Boolean).join(' · ');
    if (facts) card.append(el('p', 'meta', facts));
    card.append(el('p', 'label', 'Why it is asked'), el('p', 'text', question.whyAsked));
    card.append(el('p', 'label', 'How to answer'), el('p', 'text', question.howToAnswer));

    const example = Array.isArray(question.starExamples) ? question.starExamples[0] : undefined;
    if (example) {
      const panelId = `${this.uid}-star${index}`;
      const toggle = el('button', 'toggle', 'Show STAR example');
      toggle.type = 'button';
      toggle.setAttribute('aria-expanded', 'false');
      toggle.setAttribute('aria-controls', panelId);
      const panel = el('dl', 'star');
      panel.id = panelId;
      panel.hidden = true;
      for (const [label, field] of [
        ['Situation', 'situation'],
        ['Task', 'task'],
        ['Action', 'action'],
        ['Result', 'result'],
      ]) {
        panel.append(el('dt', null, label), el('dd', null, example[field]));
      }
      toggle.addEventListener('click', () => {
        const open = toggle.getAttribute('aria-expanded') !== 'true';
        toggle.setAttribute('aria-expanded', String(open));
        toggle.textContent = open ? 'Hide STAR example' : 'Show STAR example';
        panel.hidden = !open;
      });
      card.append(toggle, panel);
    }

    const pitfalls = Array.isArray(question.pitfalls) ? question.pitfalls : [];
    if (pitfalls.length) {
      const listOf = el('ul', 'pitfalls');
      for (const pitfall of pitfalls) listOf.append(el('li', null, pitfall.text));
      card.append(el('p', 'label', 'Pitfalls to avoid'), listOf);
    }
    item.append(card);
    return item;
  }
}

try {
  if (!customElements.get(TAG)) customElements.define(TAG, InterviewQuestions);
} catch {
  // Another copy of the widget defined the element first; that one renders.
}
