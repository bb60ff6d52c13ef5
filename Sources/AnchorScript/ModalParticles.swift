import AnchorCore

/// Chinese modal particles (啦, 哦, 呢, 呀…) that make a host sound warm rather than read aloud.
/// They go only at clause ends in the author's own words, never inside numbers or catalog values.
enum ModalParticles {
    static let all: Set<Unicode.Scalar> = ["啦", "哦", "呢", "呀", "吧", "嘛", "啊", "哈", "噢", "喔", "了", "么", "吗"]
    static let clauseEnds: Set<Unicode.Scalar> = ["，", "。", "！", "；", ",", ".", "!", ";", "～", "~"]
    /// At most this many particles per line.
    static let maxPerLine = 2

    static func choices(for intent: Intent) -> [String] {
        switch intent {
        case .greet: return ["呀", "啦"]
        case .introduce: return ["哦", "呢"]
        case .feature: return ["哦", "呢", "哈"]
        case .price: return ["哦"]
        case .urgency: return ["啦", "哦"]
        case .cta: return ["哦", "呀"]
        case .answer: return ["哦", "呢"]
        case .thanks: return ["呀", "啦"]
        case .chat: return ["呀", "呢", "哈"]
        case .transition: return ["啦"]
        case .calm: return ["哦", "呢"]
        }
    }

    /// Inserts particles at some of `slots` (offsets in scalars), shifting spans and cues after them.
    static func insert(into u: inout Utterance, slots: [Int], rate: Double, random: inout SeededRandom) {
        guard rate > 0, !slots.isEmpty else { return }
        var scalars = Array(u.text.unicodeScalars)
        let options = choices(for: u.intent)
        var shift = 0, added = 0
        for slot in slots.sorted() where added < maxPerLine {
            guard random.unit() < rate else { continue }
            let at = slot + shift
            let particle = Array(options[random.index(below: options.count)].unicodeScalars)
            scalars.insert(contentsOf: particle, at: at)
            let n = particle.count
            for i in u.stress.indices {
                if u.stress[i].start >= at { u.stress[i].start += n } else if u.stress[i].end > at { u.stress[i].length += n }
            }
            for i in u.cues.indices where u.cues[i].offset >= at { u.cues[i].offset += n }
            for i in u.particles.indices where u.particles[i].start >= at { u.particles[i].start += n }
            u.particles.append(TextSpan(start: at, length: n))
            shift += n
            added += 1
        }
        u.text = String(String.UnicodeScalarView(scalars))
    }
}
