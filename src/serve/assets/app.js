// baocao serve: a little hand-written script. Every change the page asks for
// carries the page's CSRF token; every piece of HTML it puts in the page was
// rendered (and escaped) by the server.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf"]');
  var token = meta ? meta.getAttribute('content') : '';

  function post(url, body) {
    return fetch(url, { method: 'POST', body: body, headers: { 'X-CSRF-Token': token }, credentials: 'same-origin' })
      .then(function (r) { return r.text().then(function (t) { return { ok: r.ok, html: t }; }); });
  }

  // the server's refusal page: its message only
  function message(html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var p = doc.querySelector('main p');
    return p ? p.textContent : 'Không thực hiện được.';
  }

  function swap(el, html) { el.innerHTML = html; }

  // --- live: when the inputs were checked again, fetch the parts that show them
  function refresh() {
    document.querySelectorAll('[data-tu-cap-nhat]').forEach(function (el) {
      fetch(el.getAttribute('data-tu-cap-nhat') + location.search, { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) { if (html !== null) swap(el, html); });
    });
  }
  var progress = document.getElementById('tien-do');
  if (window.EventSource) {
    var events = new EventSource('/su-kien');
    events.addEventListener('trang-thai', refresh);
    events.addEventListener('tien-do', function (e) {
      if (!progress) return;
      var p = JSON.parse(e.data);
      progress.hidden = false;
      document.getElementById('chu-tien-do').textContent = p.text;
      var bar = document.getElementById('thanh-tien-do');
      bar.max = Math.max(p.total, 1);
      bar.value = p.done;
    });
  }

  // --- upload: drop or pick files; they are sent at once
  var drop = document.getElementById('form-nop');
  if (drop) {
    var input = document.getElementById('chon-tep');
    var result = document.getElementById('ket-qua-nop');
    var sending = document.getElementById('dang-gui');
    var send = function (files) {
      if (!files || !files.length) return;
      var data = new FormData();
      for (var i = 0; i < files.length; i++) data.append('tep', files[i], files[i].name);
      sending.hidden = false;
      post('/nop', data).then(function (r) {
        sending.hidden = true;
        if (r.ok) swap(result, r.html);
        else result.textContent = message(r.html);
        input.value = '';
      }).catch(function () {
        sending.hidden = true;
        result.textContent = 'Không gửi được tệp: mất kết nối với baocao (chương trình đã tắt?).';
      });
    };
    input.addEventListener('change', function () { send(input.files); });
    drop.addEventListener('submit', function (e) { e.preventDefault(); send(input.files); });
    ['dragenter', 'dragover'].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add('dang-keo'); });
    });
    ['dragleave', 'drop'].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove('dang-keo'); });
    });
    drop.addEventListener('drop', function (e) { send(e.dataTransfer.files); });
  }

  // --- build
  var build = document.getElementById('form-tao');
  if (build) {
    var out = document.getElementById('van-ban-ket-qua');
    build.addEventListener('submit', function (e) {
      e.preventDefault();
      var button = document.getElementById('nut-tao');
      button.disabled = true;
      progress.hidden = false;
      document.getElementById('chu-tien-do').textContent = 'Đang bắt đầu…';
      post('/van-ban/tao', new URLSearchParams(new FormData(build))).then(function (r) {
        button.disabled = false;
        if (r.ok) swap(out, r.html);
        else {
          var box = document.createElement('div');
          box.className = 'thong-bao loi';
          box.setAttribute('role', 'alert');
          box.textContent = message(r.html);
          out.insertBefore(box, out.firstChild);
        }
      }).catch(function () {
        button.disabled = false;
        out.textContent = 'Mất kết nối với baocao (chương trình đã tắt?).';
      });
    });
  }

  // --- findings: a new choice in the filter applies at once
  document.querySelectorAll('form.loc select').forEach(function (s) {
    s.addEventListener('change', function () { s.form.submit(); });
  });

  // --- preview another document; copy the reply letter
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (t.matches && t.matches('[data-xem]')) {
      var frame = document.getElementById('xem-truoc');
      if (frame) frame.src = t.getAttribute('data-xem');
      document.querySelectorAll('.the-van-ban.dang-xem').forEach(function (c) { c.classList.remove('dang-xem'); });
      var card = t.closest('.the-van-ban');
      if (card) card.classList.add('dang-xem');
    }
    if (t.matches && t.matches('[data-sao-chep]')) {
      var area = document.getElementById(t.getAttribute('data-sao-chep'));
      var done = function () { var s = t.parentNode.querySelector('.da-chep'); if (s) s.hidden = false; };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(area.value).then(done);
      else { area.select(); document.execCommand('copy'); done(); }
    }
  });
})();
