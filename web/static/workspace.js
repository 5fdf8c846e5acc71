// Chancery workspace: what JavaScript adds to pages that work without it.
// Served by the app (Content-Security-Policy script-src 'self'); no inline
// script, no handler attributes. Every feature here is a shortcut for a
// form post the page already has: the editor opens provisions and shows
// its preview in place, the merge desk filters, selects and starts
// compromises in place, times are shown in the reader's time zone, and a
// session about to end can be renewed.
(function () {
  'use strict';

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function fmt(s, args) { return s.replace(/\{(\d+)\}/g, function (_, i) { return String(args[+i]); }); }

  // --- Time zones ---------------------------------------------------------
  var zone = '';
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { zone = ''; }

  function cookie(name) {
    var m = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return m ? decodeURIComponent(m[1]) : '';
  }

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  // parts returns the date and time of d in a time zone, as "YYYY-MM-DD"
  // and "HH:MM".
  function parts(d, tz) {
    var f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    var p = {};
    f.formatToParts(d).forEach(function (x) { p[x.type] = x.value; });
    return { date: p.year + '-' + p.month + '-' + p.day, time: p.hour + ':' + p.minute };
  }

  function localTimes() {
    if (!zone || zone === 'UTC' || zone === 'Etc/UTC') { return; }
    var city = zone.split('/').pop().replace(/_/g, ' ');
    $$('time[datetime]').forEach(function (t) {
      if (!/ UTC$/.test(t.textContent)) { return; } // the server showed it in a zone already
      var d = new Date(t.getAttribute('datetime'));
      if (isNaN(d)) { return; }
      var l = parts(d, zone), u = parts(d, 'UTC');
      t.textContent = l.date + ' ' + l.time + ' ' + city + ' ';
      var s = document.createElement('span');
      s.className = 'utc';
      s.textContent = '(' + (u.date === l.date ? u.time : u.date + ' ' + u.time) + ' UTC)';
      t.appendChild(s);
    });
  }

  function rememberZone() {
    if (zone && cookie('chancery_tz') !== zone) {
      document.cookie = 'chancery_tz=' + encodeURIComponent(zone) + '; path=/; max-age=31536000; SameSite=Lax';
    }
  }

  // The deadline picker: the reader's zone offered, and the deadline in
  // UTC shown as it is typed.
  function deadlinePicker() {
    var input = $('#deadline'), tz = $('#tz'), help = $('#deadline-utc');
    if (!input || !tz || !help) { return; }
    if (zone && !$$('option', tz).some(function (o) { return o.value === zone; })) {
      var o = document.createElement('option');
      o.value = zone;
      o.textContent = zone;
      tz.insertBefore(o, tz.firstChild);
      if (!input.value) { tz.value = zone; }
    }
    var base = help.textContent;
    function show() {
      var v = input.value;
      if (!v) { help.textContent = base; return; }
      var d = tz.value === 'UTC' ? new Date(v + ':00Z') : (tz.value === zone ? new Date(v) : null);
      if (!d || isNaN(d)) { help.textContent = base; return; }
      var u = parts(d, 'UTC');
      help.textContent = base + ' = ' + u.date + ' ' + u.time + ' UTC';
    }
    input.addEventListener('input', show);
    tz.addEventListener('change', show);
    show();
  }

  // --- Session renewal -----------------------------------------------------
  function renewal() {
    var form = $('form.renew[data-ends]');
    if (!form || !window.fetch) { return; }
    // The server's clock, not the browser's, says when the session ends.
    var skew = new Date(form.getAttribute('data-now') || new Date()) - new Date();
    function left() { return new Date(form.getAttribute('data-ends')) - (new Date().getTime() + skew); }
    function check() {
      if (left() < 10 * 60 * 1000) {
        form.classList.remove('later');
        form.classList.add('soon');
      }
    }
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      fetch(form.action, { method: 'POST', body: new FormData(form), headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (j) {
          form.setAttribute('data-ends', j.expires_at);
          var t = $('time', form);
          if (t) { t.setAttribute('datetime', j.expires_at); t.textContent = parts(new Date(j.expires_at), 'UTC').date + ' ' + parts(new Date(j.expires_at), 'UTC').time + ' UTC'; localTimes(); }
          form.classList.remove('soon');
          form.classList.add('later', 'renewed');
        })
        .catch(function () { form.submit(); });
    });
    check();
    setInterval(check, 30 * 1000);
  }

  // --- The in-place editor -------------------------------------------------
  // previewing clears the slot until the new preview comes.
  function previewing(slot) {
    slot.innerHTML = '';
    slot.setAttribute('aria-busy', 'true');
  }

  function post(url, form) {
    var fd = new FormData(form);
    fd.delete('formkey'); // a preview is not the form's sending
    return fetch(url, { method: 'POST', body: fd, credentials: 'same-origin', headers: { Accept: 'text/html' } });
  }

  function showPreview(slot, html) {
    slot.innerHTML = html;
    slot.removeAttribute('aria-busy');
    slot.focus();
    slot.scrollIntoView({ block: 'start' });
  }

  // previewInPlace shows the preview of form's data in the page's slot
  // instead of sending it with button b (which it falls back to).
  function previewInPlace(ev, form, b) {
    ev.preventDefault();
    var slot = $('#preview');
    previewing(slot);
    post(form.getAttribute('data-preview'), form)
      .then(function (r) { return r.text(); })
      .then(function (html) { showPreview(slot, html); })
      .catch(function () { form.requestSubmit(b); });
  }

  function editor() {
    var form = $('#editor');
    if (!form || !window.fetch) { return; }
    var openLabel = form.getAttribute('data-open-label') || 'Propose a change';
    form.addEventListener('click', function (ev) {
      var b = ev.target.closest('button');
      if (!b || !form.contains(b)) { return; }
      var id = b.getAttribute('data-open');
      if (id) {
        ev.preventDefault();
        var base = form.querySelector('input[name=base]').value;
        fetch(form.getAttribute('data-box') + '?provision=' + encodeURIComponent(id) + '&base=' + encodeURIComponent(base), { credentials: 'same-origin' })
          .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
          .then(function (html) {
            var p = b.closest('p.inplace');
            var box = document.createElement('div');
            box.innerHTML = html;
            var fs = box.firstElementChild;
            p.parentNode.replaceChild(fs, p);
            var ta = $('textarea', fs);
            if (ta) { ta.focus(); }
          })
          .catch(function () { form.requestSubmit(b); });
        return;
      }
      id = b.getAttribute('data-close');
      if (id) {
        ev.preventDefault();
        var fs = b.closest('fieldset.editbox');
        var p = document.createElement('p');
        p.className = 'inplace';
        var nb = document.createElement('button');
        nb.type = 'submit'; nb.name = 'action'; nb.value = 'open:' + id; nb.className = 'link';
        nb.setAttribute('data-open', id);
        nb.textContent = openLabel;
        p.appendChild(nb);
        fs.parentNode.replaceChild(p, fs);
        var row = p.closest('.erow');
        if (row) { row.classList.remove('changed'); }
        nb.focus();
        return;
      }
      if (b.name === 'action' && b.value === 'preview') {
        previewInPlace(ev, form, b);
      }
    });
    form.addEventListener('input', function (ev) {
      var row = ev.target.closest('.erow');
      if (row) { row.classList.add('changed'); }
    });
  }

  // --- The merge desk ------------------------------------------------------
  function desk() {
    var form = $('#desk');
    if (!form) { return; }
    var count = $('#deskcount');
    var section = $('#f-section'), del = $('#f-delegation'), state = $('#f-state');
    var apply = $('p.apply', form);
    if (apply) { apply.hidden = true; }
    var groups = $$('section.group', form);
    function sectionOf(g) { var s = g.closest('.sec'); return s ? s.getAttribute('data-section') : ''; }

    function picked() {
      var seen = {};
      $$('input[name=proposals]', form).forEach(function (i) { if ((i.type !== 'checkbox' || i.checked)) { seen[i.value] = true; } });
      return Object.keys(seen).length;
    }
    function recount() {
      if (!count || !count.getAttribute('data-fmt')) { return; }
      var shown = 0;
      groups.forEach(function (g) { if (!g.hidden) { shown += $$('input[type=checkbox]', g).length; } });
      count.textContent = fmt(count.getAttribute('data-fmt'), [count.getAttribute('data-total'), shown, picked()]);
    }
    function filter() {
      var s = section ? section.value : '', d = del ? del.value : '', st = state ? state.value : '';
      var visible = {};
      groups.forEach(function (g) {
        var ok = (!s || sectionOf(g) === s) && (!st || g.classList.contains('st-' + st)) &&
          (!d || (' ' + (g.getAttribute('data-dels') || '') + ' ').indexOf(' ' + d + ' ') >= 0);
        g.hidden = !ok;
        if (ok) { visible[sectionOf(g)] = true; }
      });
      $$('.sec', form).forEach(function (h) { h.hidden = !visible[h.getAttribute('data-section')]; });
      recount();
    }
    [section, del, state].forEach(function (s) { if (s) { s.addEventListener('change', filter); } });

    function sync(box) {
      $$('input[type=checkbox][name=proposals]', form).forEach(function (o) {
        if (o !== box && o.value === box.value) { o.checked = box.checked; }
      });
    }
    form.addEventListener('change', function (ev) {
      var t = ev.target;
      if (t.name === 'proposals' && t.type === 'checkbox') { sync(t); recount(); }
    });
    form.addEventListener('input', function (ev) {
      var t = ev.target;
      if (t.tagName === 'TEXTAREA' && t.name.indexOf('res.') === 0) {
        var r = $('#mode-' + t.name.slice(4) + '-text');
        if (r) { r.checked = true; }
      }
    });
    form.addEventListener('click', function (ev) {
      var b = ev.target.closest('button');
      if (!b || !form.contains(b)) { return; }
      var which = b.getAttribute('data-pick');
      if (which) {
        ev.preventDefault();
        $$('input[type=checkbox][data-unc]', form).forEach(function (i) {
          var g = i.closest('section.group');
          if (which === 'all' || (g && sectionOf(g) === which)) { i.checked = true; sync(i); }
        });
        recount();
        return;
      }
      var id = b.getAttribute('data-start');
      if (id) {
        ev.preventDefault();
        if (b.getAttribute('data-delete')) {
          $('#mode-' + id + '-delete').checked = true;
          $('#mode-' + id + '-delete').focus();
          return;
        }
        var side = b.closest('.side');
        var text = $('.sidetext', side).cloneNode(true);
        $$('del', text).forEach(function (x) { x.parentNode.removeChild(x); });
        var ta = $('#res-' + id);
        ta.value = text.textContent.replace(/\s+/g, ' ').trim();
        $('#mode-' + id + '-text').checked = true;
        ta.focus();
        return;
      }
      if (b.name === 'action' && b.value === 'preview' && form.getAttribute('data-preview') && window.fetch) {
        previewInPlace(ev, form, b);
      }
    });
    filter();
  }

  function start() {
    rememberZone();
    localTimes();
    deadlinePicker();
    renewal();
    editor();
    desk();
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
