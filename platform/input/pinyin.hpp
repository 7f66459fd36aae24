// Pinyin for people who cannot type Chinese on a keyboard: a composer over libgooglepinyin (type
// "zhangwei", pick 张伟) and the pinyin initials of a name (张伟 → zw) for look-up.
//
// Index
// - PinyinComposer    spelling in, ranked candidates out, partial choices ("张" then "伟")
// - Readings          hanzi → pinyin, taken from the googlepinyin dictionary itself
// - pinyin_initials   what an operator types to find a person by name
//
// libgooglepinyin is one engine per process; every call here takes its lock and replays the
// composer's own state, so several composers (and the readings table) never disturb each other.
// The engine gets no user dictionary on disk: names people type are never learned or kept.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jf::input {

// True when the system dictionary could be opened (the Debian package is installed).
bool pinyin_available();

class PinyinComposer {
  public:
    static constexpr size_t kMaxSpelling = 26;

    // Letters a-z (upper case folded) and ' as a syllable separator; anything else is ignored.
    // Returns false when the letter was refused (too long, not a letter).
    bool type(char c);
    // Takes back the last partial choice if there is one, otherwise the last letter.
    void backspace();
    void clear();
    bool empty() const { return spelling_.empty(); }
    const std::string& spelling() const { return spelling_; }

    // Candidates for what is not chosen yet, best first (UTF-8), at most `max`.
    std::vector<std::string> candidates(size_t max = 32) const;
    // Picks candidate `index`. When the whole spelling is converted, returns the text and clears
    // the composer; otherwise returns nullopt and candidates() now cover the rest.
    std::optional<std::string> choose(size_t index);
    // What the field shows while composing: chosen characters, then the letters still open.
    std::string preedit() const;

  private:
    std::string spelling_;
    std::vector<size_t> choices_; // replayed into the shared engine on every call
};

// Readings of one character (UTF-8), the most usual first ("长" → chang, zhang). Empty for
// characters the dictionary does not know (Latin letters, rare characters beyond the BMP).
std::vector<std::string> hanzi_readings(std::string_view one_char);

// Pinyin initials of a name, lower case: 张伟 → "zw", 欧阳娜娜 → "oynn". Surnames with a
// special reading (单 shàn, 曾 zēng, 解 xiè …) use it for the first character. Latin letters
// are kept (lower-cased); digits, spaces and unknown characters are skipped.
std::string pinyin_initials(std::string_view name);

} // namespace jf::input
