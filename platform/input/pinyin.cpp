// libgooglepinyin behind a lock: the composer replays its state on every call, and the readings
// table is built once from the same dictionary by decoding every pinyin syllable.
#include "platform/input/pinyin.hpp"

#include <pinyinime.h>

#include <algorithm>
#include <map>
#include <mutex>

namespace jf::input {
namespace {

using ime_pinyin::char16;

std::mutex& engine_mutex() {
    static std::mutex m;
    return m;
}

// Opens the engine once. The user dictionary is /dev/null: nothing typed is ever remembered.
bool engine_open_locked() {
    static const bool ok = ime_pinyin::im_open_decoder(JF_PINYIN_DICT, "/dev/null");
    return ok;
}

std::string utf8_of(const char16* s, size_t n) {
    std::string out;
    for (size_t i = 0; i < n && s[i]; ++i) {
        unsigned c = s[i];
        if (c < 0x80) {
            out += char(c);
        } else if (c < 0x800) {
            out += char(0xC0 | (c >> 6));
            out += char(0x80 | (c & 0x3F));
        } else {
            out += char(0xE0 | (c >> 12));
            out += char(0x80 | ((c >> 6) & 0x3F));
            out += char(0x80 | (c & 0x3F));
        }
    }
    return out;
}

// Decodes one UTF-8 character at `i`; 0 on a malformed byte (which is then skipped).
char32_t next_char(std::string_view s, size_t& i) {
    unsigned char c = s[i];
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
        ++i;
        return 0;
    }
    char32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (int k = 1; k < len; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    return cp;
}

std::string candidate_locked(size_t index) {
    char16 buf[ime_pinyin::kMaxSearchSteps + 1] = {};
    if (!ime_pinyin::im_get_candidate(index, buf, ime_pinyin::kMaxSearchSteps)) return {};
    return utf8_of(buf, ime_pinyin::kMaxSearchSteps);
}

// Puts the engine in the composer's state; returns the number of candidates.
size_t replay_locked(const std::string& spelling, const std::vector<size_t>& choices) {
    ime_pinyin::im_reset_search();
    if (spelling.empty()) return 0;
    size_t n = ime_pinyin::im_search(spelling.data(), spelling.size());
    for (size_t c : choices)
        n = ime_pinyin::im_choose(c);
    return n;
}

size_t syllable_count_locked() {
    const ime_pinyin::uint16* starts = nullptr;
    return ime_pinyin::im_get_spl_start_pos(starts);
}

// -- Readings: every syllable decoded once; a character's readings ranked by how early it
// -- comes among that syllable's candidates (the dictionary's own frequency order).
struct ReadingTable {
    std::map<char16, std::vector<std::pair<size_t, std::string>>> by_char; // (rank, syllable)
};

const ReadingTable& readings_locked() {
    static const ReadingTable table = [] {
        ReadingTable t;
        if (!engine_open_locked()) return t;
        static const char* initials[] = {"",   "b",  "p", "m", "f", "d", "t", "n",
                                         "l",  "g",  "k", "h", "j", "q", "x", "zh",
                                         "ch", "sh", "r", "z", "c", "s", "y", "w"};
        static const char* finals[] = {"a",   "o",   "e",    "i",    "u",    "v",    "ai",  "ei",
                                       "ui",  "ao",  "ou",   "iu",   "ie",   "ve",   "ue",  "er",
                                       "an",  "en",  "in",   "un",   "vn",   "ang",  "eng", "ing",
                                       "ong", "ia",  "iao",  "ian",  "iang", "iong", "ua",  "uo",
                                       "uai", "uan", "uang", "ueng", "io"};
        for (const char* ini : initials) {
            for (const char* fin : finals) {
                std::string syl = std::string(ini) + fin;
                ime_pinyin::im_reset_search();
                size_t n = ime_pinyin::im_search(syl.data(), syl.size());
                size_t decoded = 0;
                ime_pinyin::im_get_sps_str(&decoded);
                // Only whole single syllables: "zhon" or "bia" split into several or stop short.
                if (n == 0 || decoded != syl.size() || syllable_count_locked() != 1) continue;
                size_t rank = 0;
                for (size_t k = 0; k < n; ++k) {
                    char16 buf[4] = {};
                    if (!ime_pinyin::im_get_candidate(k, buf, 3)) break;
                    if (buf[0] == 0 || buf[1] != 0) continue; // words, not single characters
                    auto& list = t.by_char[buf[0]];
                    if (std::none_of(list.begin(), list.end(),
                                     [&](const auto& r) { return r.second == syl; }))
                        list.emplace_back(rank, syl);
                    ++rank;
                }
            }
        }
        for (auto& [ch, list] : t.by_char)
            std::stable_sort(list.begin(), list.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; });
        ime_pinyin::im_reset_search();
        return t;
    }();
    return table;
}

// Surnames read differently from the character's everyday reading (百家姓 polyphones).
const std::map<char32_t, const char*>& surname_readings() {
    static const std::map<char32_t, const char*> m = {
        {U'单', "shan"}, {U'曾', "zeng"}, {U'解', "xie"},   {U'区', "ou"},    {U'仇', "qiu"},
        {U'朴', "piao"}, {U'查', "zha"},  {U'盖', "ge"},    {U'缪', "miao"},  {U'翟', "zhai"},
        {U'乐', "yue"},  {U'尉', "yu"},   {U'种', "chong"}, {U'秘', "bi"},    {U'折', "she"},
        {U'覃', "qin"},  {U'召', "shao"}, {U'长', "chang"}, {U'重', "chong"}, {U'员', "yun"},
        {U'繁', "po"},   {U'句', "gou"},  {U'阚', "kan"},   {U'蕃', "pi"},    {U'隗', "wei"},
        {U'芮', "rui"},  {U'薄', "bo"},   {U'沈', "shen"},  {U'贾', "jia"},   {U'万', "wan"},
        {U'宿', "su"},   {U'那', "na"},   {U'车', "che"},   {U'过', "guo"},   {U'都', "du"},
    };
    return m;
}

} // namespace

bool pinyin_available() {
    std::lock_guard lock(engine_mutex());
    return engine_open_locked();
}

// -----------------------------------------------------------------------------
// PinyinComposer
// -----------------------------------------------------------------------------

bool PinyinComposer::type(char c) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    bool letter = c >= 'a' && c <= 'z';
    if (!letter && c != '\'') return false;
    if (spelling_.size() >= kMaxSpelling) return false;
    if (c == '\'' && (spelling_.empty() || spelling_.back() == '\'')) return false;
    spelling_ += c;
    return true;
}

void PinyinComposer::backspace() {
    if (!choices_.empty())
        choices_.pop_back();
    else if (!spelling_.empty())
        spelling_.pop_back();
}

void PinyinComposer::clear() {
    spelling_.clear();
    choices_.clear();
}

std::vector<std::string> PinyinComposer::candidates(size_t max) const {
    std::vector<std::string> out;
    std::lock_guard lock(engine_mutex());
    if (!engine_open_locked()) return out;
    size_t n = replay_locked(spelling_, choices_);
    size_t fixed = choices_.empty() ? 0 : ime_pinyin::im_get_fixed_len();
    for (size_t i = 0; i < n && out.size() < max; ++i) {
        char16 buf[ime_pinyin::kMaxSearchSteps + 1] = {};
        if (!ime_pinyin::im_get_candidate(i, buf, ime_pinyin::kMaxSearchSteps)) break;
        // After a partial choice the engine's first candidate is the whole sentence, chosen
        // characters included; show only the part still open.
        const char16* start = buf;
        if (i == 0)
            for (size_t k = 0; k < fixed && *start; ++k)
                ++start;
        out.push_back(utf8_of(start, ime_pinyin::kMaxSearchSteps));
    }
    return out;
}

std::optional<std::string> PinyinComposer::choose(size_t index) {
    std::lock_guard lock(engine_mutex());
    if (!engine_open_locked() || spelling_.empty()) return std::nullopt;
    size_t n = replay_locked(spelling_, choices_);
    if (index >= n) return std::nullopt;
    ime_pinyin::im_choose(index);
    size_t syllables = syllable_count_locked();
    if (ime_pinyin::im_get_fixed_len() >= syllables) {
        std::string text = candidate_locked(0);
        ime_pinyin::im_reset_search();
        clear();
        return text;
    }
    choices_.push_back(index);
    return std::nullopt;
}

std::string PinyinComposer::preedit() const {
    if (choices_.empty()) return spelling_;
    std::lock_guard lock(engine_mutex());
    if (!engine_open_locked()) return spelling_;
    replay_locked(spelling_, choices_);
    size_t fixed = ime_pinyin::im_get_fixed_len();
    const ime_pinyin::uint16* starts = nullptr;
    size_t syllables = ime_pinyin::im_get_spl_start_pos(starts);
    char16 buf[ime_pinyin::kMaxSearchSteps + 1] = {};
    ime_pinyin::im_get_candidate(0, buf, ime_pinyin::kMaxSearchSteps);
    std::string out = utf8_of(buf, fixed);
    size_t decoded = 0;
    const char* sps = ime_pinyin::im_get_sps_str(&decoded);
    if (starts && fixed < syllables && sps) out += std::string(sps + starts[fixed], sps + decoded);
    if (decoded < spelling_.size()) out += spelling_.substr(decoded);
    return out;
}

// -----------------------------------------------------------------------------
// Readings and initials
// -----------------------------------------------------------------------------

std::vector<std::string> hanzi_readings(std::string_view one_char) {
    std::vector<std::string> out;
    size_t i = 0;
    if (one_char.empty()) return out;
    char32_t cp = next_char(one_char, i);
    if (cp < 0x80 || cp > 0xFFFF) return out;
    std::lock_guard lock(engine_mutex());
    const auto& table = readings_locked();
    auto it = table.by_char.find(static_cast<char16>(cp));
    if (it == table.by_char.end()) return out;
    for (const auto& r : it->second)
        out.push_back(r.second);
    return out;
}

std::string pinyin_initials(std::string_view name) {
    std::string out;
    std::lock_guard lock(engine_mutex());
    const auto& table = readings_locked();
    bool first_hanzi = true;
    for (size_t i = 0; i < name.size();) {
        char32_t cp = next_char(name, i);
        if (cp == 0) continue;
        if (cp < 0x80) {
            char c = static_cast<char>(cp);
            if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
            if (c >= 'a' && c <= 'z') out += c;
            continue;
        }
        if (first_hanzi) {
            first_hanzi = false;
            auto s = surname_readings().find(cp);
            if (s != surname_readings().end()) {
                out += s->second[0];
                continue;
            }
        }
        if (cp > 0xFFFF) continue;
        auto it = table.by_char.find(static_cast<char16>(cp));
        if (it != table.by_char.end() && !it->second.empty()) out += it->second.front().second[0];
    }
    return out;
}

} // namespace jf::input
