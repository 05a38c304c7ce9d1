/*
 * tnohaku search widget. A portal adds one script and one element:
 *
 *   <script src="https://HOST/widget.js" defer></script>
 *   <div data-tnohaku data-api="https://HOST" data-region="17" data-lang="fi"></div>
 *
 * This classic script only finds the elements and loads the widget's ES modules
 * (widget-main.js, which shares api.js, cards.js, combobox.js and i18n.js with the page)
 * from the folder it was loaded from. The widget renders into a shadow root, so the
 * portal's styles and the widget's styles do not mix. Elements added later can be
 * started with window.tnohakuWidgets.scan().
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var base = new URL('.', (script && script.src) || location.href).href;
  var loading = null;

  function scan() {
    var nodes = Array.prototype.slice.call(document.querySelectorAll('[data-tnohaku]:not([data-tnohaku-state])'));
    if (!nodes.length) return Promise.resolve([]);
    nodes.forEach(function (node) { node.setAttribute('data-tnohaku-state', 'loading'); });
    loading = loading || import(base + 'widget-main.js');
    return loading.then(function (widget) {
      return nodes.map(function (node) { return widget.mount(node, base); });
    }).catch(function (error) {
      nodes.forEach(function (node) { node.setAttribute('data-tnohaku-state', 'failed'); });
      console.error('tnohaku widget: could not load', error);
    });
  }

  window.tnohakuWidgets = { scan: scan };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan);
  else scan();
})();
