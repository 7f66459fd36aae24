// Translations: every user-facing string is a key in assets/i18n/<lang>.json (zh_CN default).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace jf {

enum class Lang { ZhCN, EnUS };
const char* lang_file_stem(Lang l); // "zh_CN", "en_US"

// Where every program finds translations, demo data, sounds and fonts, the first of: $JF_ASSETS_DIR
// when set; <program dir>/../share/jobfair/assets when it holds i18n/ (an installed program, as
// `cmake --install` and the Debian packages lay it out); the source tree the build was made from.
// The one place that decides it.
std::string assets_dir();

class Translations {
  public:
    // Loads both tables from `dir`; returns false and leaves the tables empty on a bad file.
    bool load(const std::string& dir, std::string* error = nullptr);
    void set_lang(Lang l) { lang_ = l; }
    Lang lang() const { return lang_; }
    // A wording variant: while set (e.g. "elder", the simpler wording of the mode for older
    // eyes), tr(key) gives the table's "<key>@<variant>" where it has one, else "<key>".
    void set_variant(std::string variant) { variant_ = std::move(variant); }
    const std::string& variant() const { return variant_; }
    // The text for `key` in the current language; a missing key shows itself, never crashes.
    const std::string& tr(std::string_view key) const;
    const std::string& tr(std::string_view key, Lang l) const;
    // tr() with {0}, {1}… replaced by args.
    std::string format(std::string_view key, const std::vector<std::string>& args) const;
    // Keys present in one table and not the other (a test fails on any).
    std::vector<std::string> missing_keys() const;
    // Every character the tables can show, for building the font atlas.
    std::string all_text() const;

  private:
    Lang lang_ = Lang::ZhCN;
    std::string variant_;
    std::map<std::string, std::string, std::less<>> tables_[2];
    mutable std::string miss_;
};

} // namespace jf
