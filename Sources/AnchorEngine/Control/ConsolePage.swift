import Foundation

/// The operator console at `/`: the status table rendered on the server (so the page says what
/// is on air without JavaScript), then live over `/console/feed` (Server-Sent Events): the
/// thumbnail, destinations, four charts, the chat feed with each decision, blocked messages to
/// review, unanswered questions to turn into FAQ entries, and the show's buttons. Commands carry
/// the token in an `Authorization` header (from the page's `#token=` fragment or typed once, kept
/// in the tab's sessionStorage): a header no other site's page can make the browser send, so the
/// buttons are CSRF-safe, and the fragment never reaches a server log. Everything from viewers
/// is put on the page as text, never as HTML.
enum ConsolePage {
    /// `openReads`: the picture can be fetched without the token (loopback); otherwise the
    /// script fetches it with the token.
    static func render(_ s: Board.Snapshot, openReads: Bool = true, base: String = "") -> String {
        let state = s.paused ? "PAUSED" : s.onAir ? "ON AIR" : "OFF AIR"
        return """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <base href="\(StatusPage.escape(base))/"><link rel="icon" href="data:,"><title>anchor · \(StatusPage.escape(s.channel)) · console</title>
        <style>\(css)</style></head><body>
        <header><span id="state" class="state \(s.onAir && !s.paused ? "live" : "")">\(state)</span>
        <h1>\(StatusPage.escape(s.channel))</h1><span id="now" class="now">\(StatusPage.escape(s.show)) · \(StatusPage.escape(s.segment))</span>
        <span id="conn" class="conn">connecting…</span></header>
        <main>
        <section class="picture"><img id="thumb" \(openReads ? "src=\"thumbnail.png\" " : "")alt="the current frame" width="320" height="180">
          <div class="buttons">
            <button data-cmd="pause" id="b-pause">Pause</button><button data-cmd="resume" id="b-resume">Resume</button>
            <button data-cmd="skip" id="b-skip">Skip segment</button><button data-cmd="reload" id="b-reload">Reload show</button>
            <button data-cmd="pin" id="b-pin">Pin link</button>
          </div>
          <form id="say"><input id="say-text" maxlength="300" placeholder="Say now: a line the host speaks next" autocomplete="off">
            <button id="b-say">Say now</button></form>
          <p id="result" class="result" role="status"></p>
          <ul id="destinations" class="plain"></ul>
        </section>
        <section class="charts">
          <figure><figcaption>chat / min</figcaption><svg id="c-chat" viewBox="0 0 300 80" role="img" aria-label="chat per minute"></svg></figure>
          <figure><figcaption>answer latency (s)</figcaption><svg id="c-latency" viewBox="0 0 300 80" role="img" aria-label="answer latency"></svg></figure>
          <figure><figcaption>video kb/s</figcaption><svg id="c-kbps" viewBox="0 0 300 80" role="img" aria-label="video bitrate"></svg></figure>
          <figure><figcaption>skipped frames / s</figcaption><svg id="c-skipped" viewBox="0 0 300 80" role="img" aria-label="skipped frames"></svg></figure>
        </section>
        <section><h2>Chat</h2><ol id="feed" class="feed"></ol></section>
        <section><h2>Blocked <small>review: let a false positive through for the rest of the night</small></h2><ul id="blocked" class="plain"></ul></section>
        <section><h2>Unanswered <small>add an FAQ entry: the next viewer who asks gets it</small></h2><ul id="unanswered" class="plain"></ul></section>
        <section class="summary"><h2>Status</h2><div id="summary">\(StatusPage.table(s))</div>
          <p><a href="replay">Replay</a> · JSON <a href="status">status</a> · <a href="/metrics">/metrics</a> ·
          <label>token <input id="token" type="password" size="12" autocomplete="off"></label></p></section>
        </main>
        <script>\(script)</script>
        </body></html>
        """
    }

    /// The colours of the control port's pages (the console, the replay page), light and dark.
    static let palette = """
    :root{color-scheme:light dark;--bg:#fafafa;--fg:#1b1b1b;--muted:#666;--card:#fff;--line:#ddd;--accent:#1565c0;--live:#c62828;--warn:#ef6c00}
    @media (prefers-color-scheme:dark){:root{--bg:#121212;--fg:#e8e8e8;--muted:#a0a0a0;--card:#1e1e1e;--line:#333;--accent:#64b5f6;--live:#ef5350;--warn:#ffb74d}}
    """

    static let css = palette + """
    body{font:14px system-ui,sans-serif;margin:0;background:var(--bg);color:var(--fg)}
    header{display:flex;gap:1em;align-items:center;padding:.6em 1.2em;border-bottom:1px solid var(--line)}
    h1{font-size:1.3em;margin:0}h2{font-size:1.05em;margin:.2em 0 .5em}h2 small{font-weight:normal;color:var(--muted)}
    .state{padding:.2em .6em;border-radius:.3em;color:#fff;background:#555;font-weight:bold}.state.live{background:var(--live)}
    .now,.conn{color:var(--muted)}.conn{margin-left:auto}
    main{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:1em;padding:1em}
    section{background:var(--card);border:1px solid var(--line);border-radius:.4em;padding:.8em}
    img{max-width:100%;height:auto;border:1px solid var(--line);background:#000}
    .buttons{display:flex;flex-wrap:wrap;gap:.4em;margin:.6em 0}
    button{font:inherit;padding:.35em .8em;border:1px solid var(--line);border-radius:.3em;background:var(--bg);color:var(--fg);cursor:pointer}
    button:hover{border-color:var(--accent)}#say{display:flex;gap:.4em}#say input{flex:1;font:inherit;padding:.35em}
    .result{min-height:1.2em;color:var(--muted)}.result.bad{color:var(--live)}
    .charts{display:grid;grid-template-columns:1fr 1fr;gap:.4em}figure{margin:0}figcaption{color:var(--muted);font-size:.9em}
    svg{width:100%;height:auto;display:block}svg .line{fill:none;stroke:var(--accent);stroke-width:1.5}svg .axis{stroke:var(--line)}svg .dot{fill:var(--accent)}
    svg text{fill:var(--muted);font-size:9px}
    .feed{margin:0;padding-left:1.2em;max-height:22em;overflow:auto}.feed li{margin:.2em 0}.src{color:var(--muted);font-size:.9em}
    .src.blocked{color:var(--live)}.src.fallback{color:var(--warn)}
    .plain{list-style:none;margin:0;padding:0}.plain li{padding:.3em 0;border-bottom:1px solid var(--line)}
    .plain input{font:inherit;width:60%}
    table{border-collapse:collapse;width:100%;table-layout:fixed}th{text-align:left;padding-right:1em;vertical-align:top;width:7.5em}
    th,td{overflow-wrap:anywhere}
    """

    static let script = """
    'use strict';
    const $ = id => document.getElementById(id);
    // The token from #token= (never sent to a server) or ?token= (how a page off loopback is
    // opened at all), kept in this tab and taken out of the address bar.
    const h = (location.hash + '&' + location.search).match(/[#?&]token=([^&]+)/);
    if (h) { sessionStorage.setItem('anchor-token', decodeURIComponent(h[1])); history.replaceState(null, '', location.pathname); }
    // Reads need the token too when the port is not on loopback: the feed, the picture, the replay.
    const withToken = (url) => { const t = sessionStorage.getItem('anchor-token'); return t ? url + (url.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(t) : url; };
    document.querySelectorAll('a[href="replay"]').forEach(a => a.href = withToken('replay'));
    $('token').value = sessionStorage.getItem('anchor-token') || '';
    $('token').addEventListener('change', e => sessionStorage.setItem('anchor-token', e.target.value));
    const series = {chat: [], latency: [], kbps: [], skipped: []};
    function say(text, bad) { const r = $('result'); r.textContent = text; r.className = 'result' + (bad ? ' bad' : ''); }
    async function command(path, body) {
      const headers = {'Content-Type': 'application/json'};
      const token = sessionStorage.getItem('anchor-token');
      if (token) headers['Authorization'] = 'Bearer ' + token;
      try {
        const r = await fetch(path, {method: 'POST', headers, body: JSON.stringify(body || {})});
        const j = await r.json().catch(() => ({error: r.status + ' ' + r.statusText}));
        if (r.status === 401) { say('this needs the control token: paste it in the token field below', true); $('token').focus(); return null; }
        say(j.ok || j.error || JSON.stringify(j), !r.ok); return r.ok ? j : null;
      } catch (e) { say('the console cannot reach anchor: ' + e, true); return null; }
    }
    document.querySelectorAll('button[data-cmd]').forEach(b => b.addEventListener('click', () => command(b.dataset.cmd)));
    $('say').addEventListener('submit', async e => {
      e.preventDefault(); const t = $('say-text').value.trim(); if (!t) return;
      if (await command('say', {text: t})) $('say-text').value = '';
    });
    function chart(id, values, max, dots) {
      const svg = $(id), w = 300, hh = 80, n = values.length;
      const top = Math.max(max || 0, ...values.filter(v => v != null), 1);
      let d = '', pen = false;
      values.forEach((v, i) => {
        if (v == null) { pen = false; return; }
        const x = n < 2 ? w : i * w / (n - 1), y = hh - 12 - (v / top) * (hh - 20);
        d += (pen ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1); pen = true;
      });
      const last = values.filter(v => v != null).slice(-1)[0];
      svg.innerHTML = '<line class="axis" x1="0" y1="68" x2="300" y2="68"/><path class="line"/><text x="2" y="9"></text><text x="298" y="78" text-anchor="end"></text>';
      svg.querySelector('path').setAttribute('d', d);
      if (dots) values.forEach((v, i) => {
        if (v == null) return;
        const c = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
        c.setAttribute('cx', (n < 2 ? w : i * w / (n - 1)).toFixed(1)); c.setAttribute('cy', (hh - 12 - (v / top) * (hh - 20)).toFixed(1));
        c.setAttribute('r', '2'); c.setAttribute('class', 'dot'); svg.appendChild(c);
      });
      svg.querySelectorAll('text')[0].textContent = 'max ' + (+top.toFixed(2));
      svg.querySelectorAll('text')[1].textContent = last == null ? '–' : 'now ' + (+last.toFixed(2));
      svg.dataset.points = n; svg.dataset.last = last == null ? '' : last;
    }
    function add(samples) {
      for (const s of samples) {
        series.chat.push(s.chatPerMinute); series.latency.push(s.latency ?? null); series.kbps.push(s.kbps); series.skipped.push(s.skipped);
      }
      for (const k in series) if (series[k].length > 600) series[k].splice(0, series[k].length - 600);
      chart('c-chat', series.chat); chart('c-latency', series.latency, 0, true); chart('c-kbps', series.kbps); chart('c-skipped', series.skipped, 1);
    }
    function li(parts) {
      const el = document.createElement('li');
      for (const [tag, text, cls] of parts) { const e = document.createElement(tag); e.textContent = text; if (cls) e.className = cls; el.appendChild(e); }
      return el;
    }
    function list(id, items, make) {
      const ul = $(id); ul.replaceChildren(...items.map(make));
      if (!items.length) ul.replaceChildren(li([['span', 'nothing yet', 'src']]));
    }
    function update(m) {
      const s = m.status;
      const st = $('state'); st.textContent = s.paused ? 'PAUSED' : s.onAir ? 'ON AIR' : 'OFF AIR';
      st.className = 'state' + (s.onAir && !s.paused ? ' live' : ''); st.dataset.paused = s.paused;
      $('now').textContent = [s.show, s.segment, s.productSKU].filter(x => x).join(' · ');
      list('destinations', s.destinations, d => li([['b', d.url + ': '], ['span', d.state + ' · ' + d.reconnects + ' reconnects' + (d.lastError ? ' · ' + d.lastError : '')]]));
      list('feed', s.chat.recent.slice().reverse(), e => li([['b', e.user + ': '], ['span', e.question + ' '],
        ['span', '→ ' + e.source + (e.detail ? ' (' + e.detail + ')' : '') + (e.reply ? ' “' + e.reply + '”' : ''), 'src ' + e.source]]));
      list('blocked', m.blocked.slice().reverse(), b => {
        const el = li([['b', b.user + ': '], ['span', b.text + ' '], ['span', '(' + b.reason + ')', 'src blocked']]);
        el.dataset.id = b.id;
        if (b.cleared) el.appendChild(li([['span', ' let through', 'src']]).firstChild);
        else { const bt = document.createElement('button'); bt.textContent = 'Unblock'; bt.className = 'unblock';
          bt.onclick = () => command('unblock', {id: b.id}); el.append(' ', bt); }
        return el;
      });
      list('unanswered', m.unanswered, u => {
        const el = li([['b', u.count + '× '], ['span', u.text + ' '], ['span', u.productSku ? '(' + u.productSku + ')' : '', 'src']]);
        const inp = document.createElement('input'); inp.placeholder = 'the answer the host should give'; inp.className = 'faq-answer';
        const bt = document.createElement('button'); bt.textContent = 'Add as FAQ'; bt.className = 'add-faq';
        bt.onclick = async () => { if (inp.value.trim() && await command('faq', {question: u.text, answer: inp.value.trim(), sku: u.productSku})) inp.value = ''; };
        el.append(document.createElement('br'), inp, ' ', bt); return el;
      });
      add(m.samples);
      $('summary').innerHTML = m.summary; // rendered and escaped by anchor
      $('thumb').src = withToken('thumbnail.png?t=' + Date.now());
    }
    function connect() {
      const es = new EventSource(withToken('console/feed'));
      es.onopen = () => { $('conn').textContent = 'live'; };
      es.onmessage = e => { try { update(JSON.parse(e.data)); } catch (err) { console.error(err); } };
      es.onerror = () => { $('conn').textContent = 'reconnecting…'; };
    }
    connect();
    """
}
