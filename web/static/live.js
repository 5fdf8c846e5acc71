// Chancery live: a document's page and its screen follow the meeting as
// it happens. The page gives this script what it needs on the element
// #live (data-live-*: the stream, the last event it was made with, the
// provision under discussion, the delegations' names; data-msg-*: the
// words of its notices, in the page's language). Events arrive by
// Server-Sent Events; nothing here is needed for the page to work: without
// it, a reload shows the same.
(function () {
  'use strict';

  var root = document.getElementById('live');
  if (!root || !window.EventSource) {
    return;
  }
  var data = root.dataset;
  var names = {};
  try { names = JSON.parse(data.liveNames || '{}'); } catch (e) { names = {}; }
  var last = data.liveAfter || '';
  var screen = document.querySelector('[data-live-screen]');
  var follow = document.getElementById('live-follow');
  var reduceMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  function msg(name, arg) {
    var m = data['msg' + name.charAt(0).toUpperCase() + name.slice(1)] || '';
    return arg === undefined ? m : m.replace('%s', arg);
  }

  // The provision under discussion.

  // applyFocus highlights provision id (none for ''), and names it label
  // (null keeps the words shown); scroll brings it into view if the user
  // follows the chair.
  function applyFocus(id, label, scroll) {
    var old = document.querySelectorAll('.live-focus');
    for (var i = 0; i < old.length; i++) {
      old[i].classList.remove('live-focus');
      old[i].removeAttribute('aria-current');
    }
    data.liveFocus = id || '';
    var text = document.getElementById('live-focus-text');
    var link = document.getElementById('live-focus-link');
    if (!id) {
      if (text) { text.textContent = msg('nofocus'); }
      if (link) { link.hidden = true; }
      return;
    }
    var el = document.getElementById('p-' + id);
    if (text && label !== null) { text.textContent = msg('focus', label || ''); }
    if (link) { link.hidden = false; link.href = '#p-' + id; }
    if (!el) {
      return;
    }
    el.classList.add('live-focus');
    el.setAttribute('aria-current', 'true');
    if (scroll && (!follow || follow.checked)) {
      el.scrollIntoView({ block: 'center', behavior: reduceMotion ? 'auto' : 'smooth' });
    }
  }

  if (follow) {
    document.getElementById('live-follow-p').hidden = false;
    try { follow.checked = localStorage.getItem('chancery.follow') !== 'no'; } catch (e) { /* no storage */ }
    follow.addEventListener('change', function () {
      try { localStorage.setItem('chancery.follow', follow.checked ? 'yes' : 'no'); } catch (e) { /* no storage */ }
    });
  }
  if (data.liveFocus) {
    applyFocus(data.liveFocus, null, false);
  }

  // Notices: built from text nodes only, never from markup.

  function notice(text, href, linkText) {
    var box = document.getElementById('live-notices');
    if (!box) {
      return;
    }
    var p = document.createElement('p');
    p.className = 'live-notice';
    p.appendChild(document.createTextNode(text + ' '));
    if (href) {
      var a = document.createElement('a');
      a.href = href;
      a.textContent = linkText;
      p.appendChild(a);
      p.appendChild(document.createTextNode(' '));
    }
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'link';
    b.textContent = msg('dismiss');
    b.addEventListener('click', function () { p.remove(); });
    p.appendChild(b);
    box.insertBefore(p, box.firstChild);
    while (box.children.length > 5) {
      box.removeChild(box.lastChild);
    }
  }

  function name(code) {
    return names[code] || code || '';
  }

  // The screen reloads its text in place when a version or a proposal
  // arrives.
  var refreshing = false;
  var again = false;
  function refreshScreen() {
    if (!screen) {
      return;
    }
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    fetch(window.location.pathname, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.querySelector('[data-live-screen]');
        var version = doc.getElementById('screen-version');
        if (fresh) {
          screen.replaceChildren.apply(screen, Array.prototype.slice.call(fresh.childNodes));
          bindFocusForms(screen);
        }
        var mine = document.getElementById('screen-version');
        if (version && mine) { mine.textContent = version.textContent; }
        applyFocus(data.liveFocus, null, false);
        var text = document.getElementById('live-focus-text');
        var freshText = doc.getElementById('live-focus-text');
        if (text && freshText) { text.textContent = freshText.textContent; }
      })
      .catch(function () { /* the next event, or a reload, brings it */ })
      .then(function () {
        refreshing = false;
        if (again) { again = false; refreshScreen(); }
      });
  }

  function onEvent(ev) {
    var e;
    try { e = JSON.parse(ev.data); } catch (x) { return; }
    if (ev.lastEventId) { last = ev.lastEventId; }
    var doc = encodeURIComponent(data.liveDoc);
    switch (ev.type) {
      case 'focus.set':
        applyFocus(e.ref, e.detail, true);
        break;
      case 'focus.clear':
        applyFocus('', '', false);
        break;
      case 'merge':
      case 'version.create':
      case 'version.renumber':
        if (screen) {
          notice(msg('version', e.ref) + ' ' + msg('updated'));
          refreshScreen();
        } else {
          notice(msg('version', e.ref), window.location.pathname, msg('reload'));
        }
        break;
      case 'proposal.create':
        notice(msg('proposal', name(e.delegation)), '/documents/' + doc + '/proposals/' + encodeURIComponent(e.ref), msg('view'));
        refreshScreen();
        break;
      case 'proposal.edit':
      case 'proposal.withdraw':
      case 'proposal.reject':
      case 'proposal.obsolete':
        refreshScreen();
        break;
    }
  }

  // The stream. EventSource reconnects by itself after a network failure,
  // sending the last id; a refusal (the server busy, the session ended)
  // closes it, and this waits longer each time before trying again, from
  // the last event received.
  var state = document.getElementById('live-state');
  var wait = 1000;
  var kinds = ['focus.set', 'focus.clear', 'merge', 'version.create', 'version.renumber',
    'proposal.create', 'proposal.edit', 'proposal.withdraw', 'proposal.reject', 'proposal.obsolete'];
  function connect() {
    var url = data.liveStream + (last !== '' ? '?after=' + encodeURIComponent(last) : '');
    var es = new EventSource(url, { withCredentials: true });
    for (var i = 0; i < kinds.length; i++) {
      es.addEventListener(kinds[i], onEvent);
    }
    es.addEventListener('message', onEvent);
    es.onopen = function () {
      wait = 1000;
      root.dataset.liveConnected = 'yes';
      if (state) { state.hidden = true; }
    };
    es.onerror = function () {
      root.dataset.liveConnected = 'no';
      if (state) { state.textContent = msg('offline'); state.hidden = false; }
      if (es.readyState === EventSource.CLOSED) {
        setTimeout(connect, wait);
        wait = Math.min(wait * 2, 60000);
      }
    };
  }
  connect();

  // The chair's focus forms: sent in the background, the page stays.

  function bindFocusForms(scope) {
    var forms = scope.querySelectorAll('form[data-live-focus]');
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].dataset.liveBound) {
        continue;
      }
      forms[i].dataset.liveBound = 'yes';
      forms[i].addEventListener('submit', submitFocus);
    }
  }

  function submitFocus(ev) {
    var form = ev.currentTarget;
    ev.preventDefault();
    fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-Chancery-Live': '1' },
      body: new URLSearchParams(new FormData(form))
    }).then(function (r) {
      if (!r.ok) {
        form.removeEventListener('submit', submitFocus);
        form.submit(); // the server's page says what went wrong
      }
    }).catch(function () {
      form.removeEventListener('submit', submitFocus);
      form.submit();
    });
  }
  bindFocusForms(document);

  // On the screen, the chair moves on with the arrow keys, Page Down and
  // Page Up (what a presenter's remote sends).
  if (screen && screen.querySelector('form[data-live-focus]')) {
    document.addEventListener('keydown', function (ev) {
      var t = ev.target;
      if (ev.altKey || ev.ctrlKey || ev.metaKey || (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) {
        return;
      }
      var step = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 }[ev.key];
      if (!step) {
        return;
      }
      var items = screen.querySelectorAll('.sp');
      var at = -1;
      for (var i = 0; i < items.length; i++) {
        if (items[i].id === 'p-' + data.liveFocus) { at = i; }
      }
      var next = items[Math.max(0, Math.min(items.length - 1, at + step))];
      var form = next && next.querySelector('form[data-live-focus]');
      if (form) {
        ev.preventDefault();
        form.requestSubmit();
      }
    });
  }
}());
