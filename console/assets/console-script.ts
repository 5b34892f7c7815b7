/**
 * The console's one script, served as /assets/console.js (the CSP allows scripts from 'self' only).
 * It shows every <time data-local> in the viewer's time zone, asks before destructive actions, and
 * keeps the interactions table live by polling its JSON endpoint (no full-page refresh).
 */
export const CONSOLE_SCRIPT = String.raw`'use strict';
(function () {
  var dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  function localTimes(root) {
    root.querySelectorAll('time[data-local]').forEach(function (el) {
      var when = new Date(el.getAttribute('datetime'));
      if (isNaN(when.getTime())) return;
      el.textContent = dateTime.format(when);
      el.title = zone + ' (' + el.getAttribute('datetime') + ' UTC)';
    });
  }
  localTimes(document);
  var zoneNote = document.getElementById('time-zone');
  if (zoneNote) zoneNote.textContent = zone;

  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  });

  var table = document.querySelector('table[data-live]');
  if (!table) return;
  var body = table.querySelector('tbody');
  var source = table.getAttribute('data-live');
  var last = table.getAttribute('data-version') || '';
  function cell(row, content, className) {
    var td = document.createElement('td');
    if (className) td.className = className;
    if (content instanceof Node) td.appendChild(content); else td.textContent = content == null ? '' : String(content);
    row.appendChild(td);
    return td;
  }
  function timeElement(iso, text) {
    var t = document.createElement('time');
    t.setAttribute('datetime', iso);
    t.setAttribute('data-local', '');
    t.textContent = text || iso;
    return t;
  }
  function render(rows) {
    var fragment = document.createDocumentFragment();
    rows.forEach(function (r) {
      var tr = document.createElement('tr');
      var link = document.createElement('a');
      link.href = r.href;
      link.textContent = r.customer;
      cell(tr, link);
      cell(tr, r.channel);
      cell(tr, r.language);
      cell(tr, r.firstWords).lang = r.language || '';
      r.stages.forEach(function (s) {
        var td = cell(tr, '', 'stage');
        if (s.at) {
          td.appendChild(timeElement(s.at));
          if (s.duration) {
            var d = document.createElement('span');
            d.className = 'duration';
            d.textContent = ' +' + s.duration;
            td.appendChild(d);
          }
        } else td.textContent = '—';
      });
      cell(tr, r.failures, r.failures ? 'failed' : '');
      var code = document.createElement('code');
      code.textContent = r.eventId;
      cell(tr, code);
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
    localTimes(body);
  }
  function poll() {
    fetch(source, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (page) {
        if (page && page.version !== last) {
          last = page.version;
          render(page.rows);
          table.setAttribute('data-version', last);
        }
      })
      .catch(function () {})
      .finally(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 3000);
})();
`;
