// An accessible combobox with a list of suggestions (WAI-ARIA 1.2 combobox pattern, list
// autocomplete without automatic selection), shared by the page and the widget.
//
//   input:   <input role="combobox" aria-autocomplete="list" aria-controls=LIST aria-expanded>
//   listbox: <ul role="listbox" id=LIST hidden>
//
// Typing asks options.fetch(text) after a pause; ArrowDown/ArrowUp move the active option
// (aria-activedescendant; focus stays in the field), Enter chooses it (options.onChoose),
// Escape closes the list (and a second Escape clears the field), Tab leaves as usual.
// A pointer can pick an option too.

import { debounce, el, unescapeHtml } from './api.js';

export function attachCombobox(input, listbox, options) {
  const { fetch: fetchSuggestions, onChoose, announce, describe, delay = 200, minLength = 2 } = options;
  const doc = input.ownerDocument;
  let items = [];
  let active = -1;
  let controller = null;
  let lastText = null;

  function optionId(i) {
    return `${listbox.id}-opt-${i}`;
  }

  function setActive(index) {
    active = index;
    listbox.querySelectorAll('[role="option"]').forEach((node, i) => {
      node.setAttribute('aria-selected', i === index ? 'true' : 'false');
    });
    if (index >= 0) {
      input.setAttribute('aria-activedescendant', optionId(index));
      const node = listbox.querySelector(`#${CSS.escape(optionId(index))}`);
      if (node && node.scrollIntoView) node.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function close() {
    if (controller) controller.abort();
    controller = null;
    items = [];
    listbox.replaceChildren();
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    setActive(-1);
  }

  function open(suggestions) {
    items = suggestions;
    listbox.replaceChildren();
    suggestions.forEach((suggestion, i) => {
      const option = el(doc, 'li', 'option');
      option.id = optionId(i);
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      option.append(el(doc, 'span', 'option-text', unescapeHtml(suggestion.text)));
      const extra = describe ? describe(suggestion) : '';
      if (extra) option.append(el(doc, 'span', 'option-kind', extra));
      // mousedown, not click: the field must not lose focus before the choice is made.
      option.addEventListener('mousedown', (event) => {
        event.preventDefault();
        choose(i);
      });
      listbox.append(option);
    });
    const any = suggestions.length > 0;
    listbox.hidden = !any;
    input.setAttribute('aria-expanded', any ? 'true' : 'false');
    setActive(-1);
    if (any && announce) announce(suggestions.length);
  }

  function choose(index) {
    const suggestion = items[index];
    if (!suggestion) return;
    const text = unescapeHtml(suggestion.text);
    input.value = text;
    lastText = text;
    close();
    onChoose(text, suggestion);
  }

  const update = debounce(async () => {
    const text = input.value.trim();
    if (text === lastText) return;
    lastText = text;
    if (text.length < minLength) {
      close();
      return;
    }
    if (controller) controller.abort();
    controller = new AbortController();
    const mine = controller;
    try {
      const suggestions = await fetchSuggestions(text, mine.signal);
      if (mine !== controller || input.getRootNode().activeElement !== input) return;
      open(suggestions || []);
    } catch (error) {
      if (error.name !== 'AbortError' && mine === controller) close();
    }
  }, delay);

  input.addEventListener('input', () => {
    update();
  });
  input.addEventListener('keydown', (event) => {
    const expanded = input.getAttribute('aria-expanded') === 'true';
    switch (event.key) {
      case 'ArrowDown':
        if (expanded) {
          event.preventDefault();
          setActive(active + 1 >= items.length ? 0 : active + 1);
        }
        break;
      case 'ArrowUp':
        if (expanded) {
          event.preventDefault();
          setActive(active <= 0 ? items.length - 1 : active - 1);
        }
        break;
      case 'Enter':
        update.cancel();
        if (expanded && active >= 0) {
          event.preventDefault();
          choose(active);
        } else {
          lastText = input.value.trim();
          close();
        }
        break;
      case 'Escape':
        if (expanded) {
          event.preventDefault();
          update.cancel();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = '';
          lastText = '';
        }
        break;
      default:
        break;
    }
  });
  input.addEventListener('blur', () => {
    update.cancel();
    close();
  });

  return {
    close,
    // Sets the field without asking for suggestions.
    setValue(text) {
      input.value = text;
      lastText = text.trim();
    },
  };
}
