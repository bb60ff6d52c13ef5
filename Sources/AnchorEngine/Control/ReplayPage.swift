import AnchorCore
import AnchorStore
import Foundation

/// The replay page: the night's recordings in a player with a node per product segment (a click
/// seeks the player there, across files) and the product's card beside it. Served at `/replay`
/// (the data from `/replay.json`, the media from `/recordings/`) and written by `anchor replay
/// export` with the data inside the page and the media beside it, for any static host.
public enum ReplayPage {
    /// What the page shows: each segment with the media URL and offset to play it from, and the
    /// cards of the products in them.
    public struct Data: Codable, Sendable {
        public struct Node: Codable, Sendable, Equatable {
            public var show: String
            public var segment: String
            public var sku: String?
            public var startedAt: Date
            public var endedAt: Date?
            /// URL of the recording (relative for an export), nil when not recorded.
            public var media: String?
            public var offset: Double?
        }
        public struct Card: Codable, Sendable, Equatable {
            public var name: String
            public var price: String
            public var highlights: [String]
        }
        public var nodes: [Node]
        public var products: [String: Card]

        public init(moments: [AirLog.Moment], catalog: Catalog, mediaBase: String) {
            var nodes: [Node] = []
            for m in moments {
                // A segment going on in the next recording file is the same node (the player
                // goes on into the next file by itself only in a playlist; a click on the node
                // starts where the segment began).
                if let last = nodes.last, last.show == m.show, last.segment == m.segment, last.sku == m.productSku, m.offsetSeconds ?? 0 < 0.01,
                   let end = last.endedAt, abs(m.startedAt.timeIntervalSince(end)) < 1 {
                    nodes[nodes.count - 1].endedAt = m.endedAt
                    continue
                }
                nodes.append(Node(show: m.show, segment: m.segment, sku: m.productSku, startedAt: m.startedAt, endedAt: m.endedAt,
                                  media: m.file.map { mediaBase + Self.urlPath(($0 as NSString).lastPathComponent) }, offset: m.offsetSeconds))
            }
            self.nodes = nodes
            var cards: [String: Card] = [:]
            for sku in Set(moments.compactMap(\.productSku)) {
                guard let p = catalog.products.first(where: { $0.sku == sku }) else { continue }
                let zh = p.name.unicodeScalars.contains(where: Language.isHan)
                cards[sku] = Card(name: p.name, price: p.price.formatted(for: zh ? .zh : .en, style: .display), highlights: Array(p.highlights.prefix(3)))
            }
            products = cards
        }

        static func urlPath(_ name: String) -> String {
            name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? name
        }
    }

    /// The page; with `data` it is self-contained (an export), without it reads `/replay.json`.
    public static func render(data: Data?, title: String = "anchor · replay", base: String? = nil) -> String {
        let embedded: String
        if let data, let json = try? encoder.encode(data), let text = String(data: json, encoding: .utf8) {
            // Inside <script>: "</" must not close the element.
            embedded = "<script id=\"replay-data\" type=\"application/json\">\(text.replacingOccurrences(of: "</", with: "<\\/"))</script>"
        } else {
            embedded = ""
        }
        return """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        \(base.map { "<base href=\"\(StatusPage.escape($0))/\">" } ?? "")<link rel="icon" href="data:,"><title>\(StatusPage.escape(title))</title><style>\(css)</style></head><body>
        <header><h1>\(StatusPage.escape(title))</h1></header>
        <main><section class="player"><video id="player" controls preload="metadata" playsinline></video>
        <ol id="nodes" class="nodes" aria-label="products"></ol></section>
        <aside id="card" class="card"><p class="muted">Pick a product to jump to it.</p></aside></main>
        \(embedded)<script>\(script)</script></body></html>
        """
    }

    public static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static let css = ConsolePage.palette + """
    body{font:15px system-ui,sans-serif;margin:0;background:var(--bg);color:var(--fg)}header{padding:.6em 1.2em;border-bottom:1px solid var(--line)}
    h1{font-size:1.3em;margin:0}main{display:grid;grid-template-columns:minmax(0,3fr) minmax(14em,1fr);gap:1em;padding:1em}
    video{width:100%;max-height:70vh;background:#000;border-radius:.3em}.muted{color:var(--muted)}
    .nodes{list-style:none;display:flex;flex-wrap:wrap;gap:.4em;padding:0}
    .nodes button{font:inherit;padding:.3em .7em;border:1px solid var(--line);border-radius:1em;background:var(--card);color:var(--fg);cursor:pointer}
    .nodes button.current{border-color:var(--accent);color:var(--accent);font-weight:bold}.nodes button:disabled{opacity:.5;cursor:default}
    .card{overflow-wrap:anywhere;background:var(--card);border:1px solid var(--line);border-radius:.4em;padding:1em}.card h2{margin:.1em 0}.price{font-size:1.4em;color:var(--accent)}
    @media (max-width:700px){main{grid-template-columns:1fr}}
    """

    static let script = """
    'use strict';
    const $ = id => document.getElementById(id);
    const player = $('player');
    let data = null, current = -1;
    // Off loopback the control port wants the token for every read: pass on the page's own.
    const token = new URLSearchParams(location.search).get('token');
    const media = (url) => token ? url + '?token=' + encodeURIComponent(token) : url;
    function show(i) {
      const n = data.nodes[i], c = n.sku && data.products[n.sku], card = $('card');
      card.replaceChildren();
      const h = document.createElement('h2'); h.textContent = c ? c.name : n.segment; card.appendChild(h);
      if (c) {
        const p = document.createElement('p'); p.className = 'price'; p.textContent = c.price; card.appendChild(p);
        const ul = document.createElement('ul'); for (const x of c.highlights) { const li = document.createElement('li'); li.textContent = x; ul.appendChild(li); }
        card.appendChild(ul);
      }
      const s = document.createElement('p'); s.className = 'muted';
      s.textContent = n.show.split('/').pop() + ' · ' + n.segment + ' · ' + new Date(n.startedAt).toLocaleString(); card.appendChild(s);
      document.querySelectorAll('#nodes button').forEach((b, k) => b.classList.toggle('current', k === i));
      current = i; document.body.dataset.node = i;
    }
    function jump(i) {
      const n = data.nodes[i];
      if (!n.media) return;
      const seek = () => { player.currentTime = n.offset || 0; player.play().catch(() => {}); };
      if (player.dataset.media !== n.media) {
        player.dataset.media = n.media; player.src = media(n.media);
        player.addEventListener('loadedmetadata', seek, {once: true});
      } else seek();
      show(i);
    }
    // While playing, the node whose chapter the player is in lights up.
    player.addEventListener('timeupdate', () => {
      if (!data) return;
      let best = -1;
      data.nodes.forEach((n, k) => { if (n.media === player.dataset.media && (n.offset || 0) <= player.currentTime + 0.01) best = k; });
      if (best >= 0 && best !== current) show(best);
    });
    function build(d) {
      data = d;
      const ol = $('nodes');
      ol.replaceChildren(...d.nodes.map((n, i) => {
        const li = document.createElement('li'), b = document.createElement('button');
        const c = n.sku && d.products[n.sku];
        const at = new Date(n.startedAt).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'});
        b.textContent = at + ' ' + (c ? c.name : n.segment); b.title = n.segment + (n.media ? '' : ' (not recorded)');
        b.dataset.sku = n.sku || ''; b.dataset.offset = n.offset || 0; b.disabled = !n.media;
        b.addEventListener('click', () => jump(i)); li.appendChild(b); return li;
      }));
      if (!d.nodes.length) ol.textContent = 'Nothing has aired yet.';
      const first = d.nodes.findIndex(n => n.media);
      if (first >= 0) { player.dataset.media = d.nodes[first].media; player.src = media(d.nodes[first].media); show(first); }
      document.body.dataset.ready = 'yes';
    }
    const inline = document.getElementById('replay-data');
    if (inline) build(JSON.parse(inline.textContent));
    else fetch('replay.json' + location.search).then(r => r.json()).then(build).catch(e => { $('nodes').textContent = 'cannot load the replay index: ' + e; });
    """
}
