// The on-screen keyboard: digits, Latin letters, pinyin with a candidate bar (libgooglepinyin)
// and a handwriting pad (zinnia), all with big keys for a finger at arm's length.
//
// A screen owns one Keyboard per text field it edits, or shares one; draw() edits the string in
// place. Test ids: "kb.key.<c>", "kb.cand.<n>", "kb.mode.<digits|latin|pinyin|hand>",
// "kb.back", "kb.clear", "kb.done", "kb.pad", "kb.rewrite".
#pragma once

#include "platform/input/handwriting.hpp"
#include "platform/input/pinyin.hpp"
#include "kiosk/ui/stroke_pad.hpp"
#include "kiosk/ui/ui.hpp"

#include <string>

namespace jf::ui {

enum class KeyLayout : unsigned { Digits = 1, Latin = 2, Pinyin = 4, Hand = 8 };
constexpr unsigned kNameLayouts = 4 | 8 | 2; // names: pinyin, handwriting, Latin
constexpr unsigned kNumberLayouts = 1;       // phone numbers
constexpr unsigned kLookupLayouts = 1 | 2;   // digits and initials

class Keyboard {
  public:
    // Which layouts this field allows (bits of KeyLayout) and whether the digit pad has an X
    // (resident ID numbers end in one). Resets composing state when the field changes.
    void configure(unsigned layouts, bool digit_x = false, size_t max_chars = 32);
    // Draws in [min,max] and edits *text. Returns true when 确定 (done) is tapped.
    bool draw(Context& ctx, std::string* text, ImVec2 min, ImVec2 max);
    // What is being composed (pinyin letters, partly chosen), to show in the field.
    std::string preedit() const { return composer_.preedit(); }
    KeyLayout layout() const { return layout_; }
    void set_layout(KeyLayout l);
    void reset();
    // Words offered first when their pinyin is exactly what was typed (the job titles on offer,
    // so "hangong" offers 焊工 as one word, not 焊 tenth among single characters). Kept until the
    // next call.
    void prefer(const std::vector<std::string>& words);

    // The handwriting recognizer is shared and opened on first use (the model is 15 MB).
    static input::HandwritingRecognizer& recognizer();

  private:
    bool key_row(Context& ctx, std::string* text, const char* keys, ImVec2 at, float key_w,
                 float key_h, float gap);
    void type(std::string* text, char c);
    void append(std::string* text, const std::string& s);
    void backspace(std::string* text);
    void draw_candidates(Context& ctx, std::string* text, ImVec2 min, ImVec2 max);
    void refresh_pinyin(); // candidates_ from the composer, preferred words first

    unsigned layouts_ = kNameLayouts;
    bool digit_x_ = false;
    size_t max_chars_ = 32;
    KeyLayout layout_ = KeyLayout::Pinyin;
    input::PinyinComposer composer_;
    std::vector<std::string> candidates_; // pinyin candidates or handwriting guesses
    size_t promoted_ = 0;                 // how many of them are preferred words, at the front
    struct Preferred {
        std::string word;
        std::vector<std::vector<std::string>> readings; // each character's
    };
    std::vector<Preferred> preferred_;
    size_t page_ = 0;
    StrokePad pad_;
};

// Number of characters (not bytes) in UTF-8 text.
size_t utf8_length(std::string_view s);

} // namespace jf::ui
