/** How deep JSON in a request may nest (objects and arrays); no valid request of ours needs ten. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether JSON text nests deeper than `max` objects and arrays, and if so under which key of the
 * outermost object ('' when not under one). One pass over the text with a counter, so it cannot
 * overflow the stack however deep the text goes: it runs before anything recursive walks the value
 * (building a cache key, looking for NUL characters, validation).
 */
export function tooDeep(text: string, max: number = MAX_JSON_DEPTH): { path: string } | undefined {
  let depth = 0;
  let inString = false;
  let start = 0;
  // The last string closed at the top level: the key of the value being entered, when one is.
  let key = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) {
        inString = false;
        if (depth === 1) key = i - start <= 64 ? text.slice(start, i) : '';
      }
    } else if (c === 0x22) {
      inString = true;
      start = i + 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return { path: key };
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return undefined;
}
