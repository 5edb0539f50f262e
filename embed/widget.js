// <interview-questions>: interview questions for a role, as compact cards a reader opens, on any
// page. Served by the API at /embed/v1/widget.js; no dependencies, no build step. Everything it
// shows is inserted as text (textContent), never as HTML, and nothing it does can throw into the
// page. What the page puts inside the element (a link to the questions, say) is what readers see
// while the script cannot load, and again if the questions cannot be loaded.

const API_ROOT = new URL('../../', import.meta.url);
const TAG = 'interview-questions';
const ATTRIBUTES = [
  'role-slug',
  'role',
  'job-title',
  'limit',
  'round',
  'difficulty',
  'filters',
  'key',
  'theme',
  'heading-level',
];
const PROVIDER = 'Interview Content API';
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const DIFFICULTIES = ['easy', 'medium', 'hard'];
const UNAVAILABLE = 'Interview questions are not available right now.';

const DARK = `--iq-color: #e6edf3; --iq-muted: #9da7b3; --iq-card-background: #161b22;
    --iq-border: #3d444d; --iq-accent: #7cacf8; --iq-focus: #7cacf8; --iq-background: #0d1117;`;

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
  --iq-gap: 8px;
  display: block;
  font-family: var(--iq-font);
  color: var(--iq-color);
  background: var(--iq-background);
  line-height: 1.45;
}
:host([hidden]) { display: none; }
:host([theme="dark"]) { ${DARK} }
@media (prefers-color-scheme: dark) { :host([theme="auto"]) { ${DARK} } }
:host([state="no-match"]) .widget { display: none; }
.widget { display: grid; gap: var(--iq-gap); }
.filters { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; font-size: .9em; }
.filter { display: inline-flex; gap: 6px; align-items: center; color: var(--iq-muted); }
select {
  max-width: 100%; font: inherit; color: var(--iq-color); background: var(--iq-card-background);
  border: 1px solid var(--iq-border); border-radius: var(--iq-radius); padding: 4px 8px;
}
.list { display: grid; gap: var(--iq-gap); margin: 0; padding: 0; list-style: none; }
.card {
  background: var(--iq-card-background); border: 1px solid var(--iq-border);
  border-radius: var(--iq-radius); padding: 10px 14px;
}
.prompt { margin: 0; font-size: 1em; line-height: 1.4; }
.disclosure {
  display: block; width: 100%; margin: 0; padding: 0 0 0 1.3em; text-indent: -1.3em; border: 0;
  background: none; color: inherit; font: inherit; font-weight: 600; text-align: start; cursor: pointer;
}
.disclosure::before { content: "+"; display: inline-block; width: 1.3em; text-indent: 0; color: var(--iq-accent); }
.disclosure[aria-expanded="true"]::before { content: "\\2212"; }
.meta { margin: 2px 0 0 calc(1.3em / .85); color: var(--iq-muted); font-size: .85em; }
.panel { margin: 8px 0 0 1.3em; }
.panel[hidden], .star[hidden] { display: none; }
.label { margin: 10px 0 2px; font-size: .8em; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; color: var(--iq-muted); }
.panel > .label:first-child { margin-top: 0; }
.text { margin: 0; }
.toggle, .more {
  font: inherit; font-weight: 600; color: var(--iq-accent); background: var(--iq-card-background);
  border: 1px solid var(--iq-border); border-radius: var(--iq-radius); padding: 4px 12px; cursor: pointer;
}
.toggle { margin-top: 10px; }
.more { justify-self: start; }
.disclosure:focus-visible, .toggle:focus-visible, .more:focus-visible, select:focus-visible, a:focus-visible {
  outline: 3px solid var(--iq-focus); outline-offset: 2px;
}
.star { margin: 8px 0 0; }
.star dt { font-weight: 600; }
.star dd { margin: 0 0 6px; }
.pitfalls { margin: 4px 0 0; padding-left: 1.2em; }
.footer { margin: 0; font-size: .85em; color: var(--iq-muted); }
a { color: var(--iq-accent); }
.status { color: var(--iq-muted); margin: 0; }
.announce { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
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

/** A failure whose message is for the partner's developer (the console), never for readers. */
class LoadError extends Error {}

class InterviewQuestions extends HTMLElement {
  static get observedAttributes() {
    return ATTRIBUTES;
  }

  constructor() {
    super();
    this.uid = `iq${++instances}`;
    this.cards = 0;
    this.root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = STYLE;
    this.body = el('div', 'widget');
    // The page's own content: shown only when there is nothing better (errors, no match).
    this.fallback = document.createElement('slot');
    this.fallback.hidden = true;
    this.root.append(style, this.body, this.fallback);
  }

  connectedCallback() {
    this.moveRoleAttribute();
    this.schedule();
  }

  /**
   * role="<slug>" was this element's first way to name the role, but role is ARIA's attribute:
   * assistive technology would take the slug for the element's role. It still works, moved to
   * role-slug as soon as the widget runs.
   */
  moveRoleAttribute() {
    const slug = this.getAttribute('role');
    if (slug === null) return;
    if (!this.hasAttribute('role-slug')) this.setAttribute('role-slug', slug);
    this.removeAttribute('role');
  }

  disconnectedCallback() {
    this.controller?.abort();
  }

  attributeChangedCallback(name, _old, value) {
    if (name === 'role' && value !== null) this.moveRoleAttribute();
    if (this.isConnected) this.schedule();
  }

  /** Several attributes set in a row load once. */
  schedule() {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      this.guard(() => this.load());
    });
  }

  /** Runs a load; a failure is logged for the partner and shown neutrally to readers. */
  guard(run) {
    return run().catch((err) => {
      // A load replaced by a newer one (or by removal from the page) is not an error.
      if (err?.name === 'AbortError') return;
      this.warn(err instanceof LoadError ? err.message : `failed: ${err?.message ?? err}`);
      this.showStatus(UNAVAILABLE, 'error');
    });
  }

  warn(message) {
    try {
      console.warn(`<${TAG}>: ${message}`);
    } catch {
      // A page without a console.
    }
  }

  /** GET from the API, as JSON; anything else is a LoadError saying what happened. */
  async get(path, signal) {
    const url = new URL(path, API_ROOT);
    const key = (this.getAttribute('key') || '').trim();
    let response;
    try {
      response = await fetch(url, {
        headers: key ? { authorization: `Bearer ${key}` } : {},
        signal,
        credentials: 'omit',
      });
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
      throw new LoadError(`could not reach ${url.origin} (${err?.message ?? err}): the API is down or blocked`);
    }
    if (!response.ok) {
      let reason = '';
      try {
        const problem = await response.json();
        reason = `: ${problem.code ?? ''} ${problem.detail ?? problem.title ?? ''}`.trimEnd();
      } catch {
        // Not problem+json: the status says enough.
      }
      throw new LoadError(`GET ${url.pathname}${url.search} answered ${response.status}${reason}`);
    }
    return response.json();
  }

  showStatus(message, state) {
    this.setAttribute('state', state);
    this.removeAttribute('aria-busy');
    const status = el('p', 'status', message);
    status.setAttribute('role', state === 'error' ? 'alert' : 'status');
    this.body.replaceChildren(status);
    this.fallback.hidden = state !== 'error';
  }

  async load() {
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    const { signal } = controller;
    this.selects = {};
    this.fallback.hidden = true;
    this.setAttribute('state', 'loading');
    this.setAttribute('aria-busy', 'true');
    const loading = el('p', 'status', 'Loading interview questions…');
    loading.setAttribute('role', 'status');
    this.body.replaceChildren(loading);

    let slug = (this.getAttribute('role-slug') || '').trim();
    const jobTitle = (this.getAttribute('job-title') || '').trim();
    if (!slug && jobTitle) {
      const match = await this.get(`v1/roles/match?title=${encodeURIComponent(jobTitle)}&limit=1`, signal);
      slug = match.data?.candidates?.[0]?.role?.slug ?? '';
      if (!slug) {
        this.warn(`no role matches the job title "${jobTitle}" (no candidate reached ${match.data?.threshold})`);
        this.setAttribute('state', 'no-match');
        this.removeAttribute('aria-busy');
        this.body.replaceChildren();
        this.fallback.hidden = false;
        return;
      }
    }
    if (!SLUG.test(slug))
      throw new LoadError('set role-slug="<role slug>" or job-title="<a job title>" on the element');

    const [role, first] = await Promise.all([
      this.get(`v1/roles/${slug}?include=rounds`, signal),
      this.get(this.questionsPath(slug, null), signal),
    ]);
    if (signal.aborted) return;
    // Not this.role: HTMLElement reflects the ARIA role attribute there.
    this.roleData = role.data;
    this.renderShell();
    this.showPage(first, false);
  }

  /** The reader's filter where the widget offers one, else the page's attribute. */
  filterValue(name) {
    const select = this.selects?.[name];
    return select ? select.value : (this.getAttribute(name) || '').trim();
  }

  questionsPath(slug, cursor) {
    const params = new URLSearchParams();
    const limit = Number.parseInt(this.getAttribute('limit') || '5', 10);
    params.set('limit', String(Math.min(Math.max(Number.isFinite(limit) ? limit : 5, 1), 20)));
    for (const name of ['round', 'difficulty']) {
      const value = this.filterValue(name);
      if (value) params.set(name, value);
    }
    if (cursor) params.set('cursor', cursor);
    return `v1/roles/${slug}/questions?${params}`;
  }

  headingLevel() {
    return Math.min(Math.max(Number.parseInt(this.getAttribute('heading-level') || '3', 10) || 3, 2), 6);
  }

  /** Filters (when asked for), the list, "show more", the footer, and a live region. */
  renderShell() {
    const role = this.roleData;
    const offered = (this.getAttribute('filters') || '').split(/[\s,]+/);
    this.selects = {};
    const filters = el('div', 'filters');
    if (offered.includes('round') && role.rounds?.length) {
      const options = [['', 'All rounds'], ...role.rounds.map((r) => [r.name, r.name])];
      filters.append(this.select('round', 'Round', options));
    }
    if (offered.includes('difficulty')) {
      const options = [['', 'Any'], ...DIFFICULTIES.map((d) => [d, d[0].toUpperCase() + d.slice(1)])];
      filters.append(this.select('difficulty', 'Difficulty', options));
    }

    this.list = el('ul', 'list');
    this.list.setAttribute('aria-label', `${role.title} interview questions`);
    this.more = el('button', 'more', 'Show more questions');
    this.more.type = 'button';
    this.more.hidden = true;
    this.more.addEventListener('click', () => this.guardMore());
    this.announcer = el('p', 'announce');
    this.announcer.setAttribute('aria-live', 'polite');

    const footer = el('p', 'footer');
    const all = el('a', 'link', `All ${role.questionCount} ${role.title} questions`);
    all.href = new URL(`embed/v1/roles/${role.slug}`, API_ROOT).href;
    all.target = '_blank';
    all.rel = 'noopener';
    const by = el('a', 'attribution', PROVIDER);
    by.href = all.href;
    by.target = '_blank';
    by.rel = 'noopener';
    footer.append(all, ' · Questions by ', by);

    this.body.replaceChildren(
      ...(Object.keys(this.selects).length ? [filters] : []),
      this.list,
      this.more,
      footer,
      this.announcer,
    );
    this.removeAttribute('aria-busy');
    this.setAttribute('state', 'ready');
  }

  select(name, label, options) {
    const wrapper = el('label', 'filter');
    const select = el('select', 'select');
    for (const [value, text] of options) {
      const option = el('option', null, text);
      option.value = value;
      select.append(option);
    }
    const fixed = (this.getAttribute(name) || '').trim();
    if (options.some(([value]) => value === fixed)) select.value = fixed;
    select.addEventListener('change', () => this.guard(() => this.reload()));
    this.selects[name] = select;
    wrapper.append(el('span', null, label), select);
    return wrapper;
  }

  /** The first page again, after a filter changed. */
  async reload() {
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    this.setAttribute('aria-busy', 'true');
    const page = await this.get(this.questionsPath(this.roleData.slug, null), controller.signal);
    if (controller.signal.aborted) return;
    this.list.replaceChildren();
    this.cards = 0;
    this.removeAttribute('aria-busy');
    this.showPage(page, false);
  }

  guardMore() {
    const controller = (this.controller = new AbortController());
    this.more.disabled = true;
    this.get(this.questionsPath(this.roleData.slug, this.cursor), controller.signal)
      .then((page) => {
        if (!controller.signal.aborted) this.showPage(page, true);
      })
      .catch((err) => {
        if (err?.name === 'AbortError') return;
        this.warn(err instanceof LoadError ? err.message : String(err));
        this.announcer.textContent = 'More questions could not be loaded.';
        this.more.disabled = false;
      });
  }

  /** Adds a page of questions; after "show more", focus moves to the first new one. */
  showPage(page, more) {
    const questions = Array.isArray(page.data) ? page.data : [];
    const level = this.headingLevel();
    const added = questions.map((question) => this.card(question, this.cards++, level));
    this.list.append(...added);
    this.cursor = page.page?.nextCursor ?? null;
    this.more.hidden = !this.cursor;
    this.more.disabled = false;
    if (!this.cards) {
      const none = el('li', 'status', 'No questions match these filters.');
      this.list.append(none);
    }
    if (more && added.length) {
      added[0].querySelector('button')?.focus();
      this.announcer.textContent = `${added.length} more questions shown, ${this.cards} in all.`;
    } else if (!more && Object.keys(this.selects).length) {
      this.announcer.textContent = `${this.cards} questions shown.`;
    }
  }

  card(question, index, level) {
    const item = el('li', 'item');
    const card = el('article', 'card');
    const panelId = `${this.uid}-panel${index}`;
    const heading = el(`h${level}`, 'prompt');
    const disclosure = el('button', 'disclosure', question.prompt);
    disclosure.type = 'button';
    disclosure.id = `${this.uid}-q${index}`;
    disclosure.setAttribute('aria-expanded', 'false');
    disclosure.setAttribute('aria-controls', panelId);
    heading.append(disclosure);
    card.setAttribute('aria-labelledby', disclosure.id);
    card.append(heading);

    const facts = [question.round?.name, question.difficulty, question.competency].filter(Boolean).join(' · ');
    if (facts) card.append(el('p', 'meta', facts));

    const panel = el('div', 'panel');
    panel.id = panelId;
    panel.hidden = true;
    panel.append(el('p', 'label', 'Why it is asked'), el('p', 'text', question.whyAsked));
    panel.append(el('p', 'label', 'How to answer'), el('p', 'text', question.howToAnswer));

    const example = Array.isArray(question.starExamples) ? question.starExamples[0] : undefined;
    if (example) {
      const starId = `${this.uid}-star${index}`;
      const toggle = el('button', 'toggle', 'Show STAR example');
      toggle.type = 'button';
      toggle.setAttribute('aria-expanded', 'false');
      toggle.setAttribute('aria-controls', starId);
      const star = el('dl', 'star');
      star.id = starId;
      star.hidden = true;
      for (const [label, field] of [
        ['Situation', 'situation'],
        ['Task', 'task'],
        ['Action', 'action'],
        ['Result', 'result'],
      ]) {
        star.append(el('dt', null, label), el('dd', null, example[field]));
      }
      toggle.addEventListener('click', () => {
        const open = toggle.getAttribute('aria-expanded') !== 'true';
        toggle.setAttribute('aria-expanded', String(open));
        toggle.textContent = open ? 'Hide STAR example' : 'Show STAR example';
        star.hidden = !open;
      });
      panel.append(toggle, star);
    }

    const pitfalls = Array.isArray(question.pitfalls) ? question.pitfalls : [];
    if (pitfalls.length) {
      const list = el('ul', 'pitfalls');
      for (const pitfall of pitfalls) list.append(el('li', null, pitfall.text));
      panel.append(el('p', 'label', 'Pitfalls to avoid'), list);
    }
    disclosure.addEventListener('click', () => {
      const open = disclosure.getAttribute('aria-expanded') !== 'true';
      disclosure.setAttribute('aria-expanded', String(open));
      panel.hidden = !open;
    });
    card.append(panel);
    item.append(card);
    return item;
  }
}

try {
  if (!customElements.get(TAG)) customElements.define(TAG, InterviewQuestions);
} catch {
  // Another copy of the widget defined the element first; that one renders.
}
