// Loading and looking up the per-language string tables.
#include "i18n.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

namespace jf {

const char* lang_file_stem(Lang l) { return l == Lang::ZhCN ? "zh_CN" : "en_US"; }

bool Translations::load(const std::string& dir, std::string* error) {
    std::map<std::string, std::string, std::less<>> loaded[2];
    for (int i = 0; i < 2; ++i) {
        std::string path = dir + "/" + lang_file_stem(static_cast<Lang>(i)) + ".json";
        std::ifstream in(path);
        auto j = nlohmann::json::parse(in, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            if (error) *error = "cannot read " + path;
            return false;
        }
        for (auto& [k, v] : j.items())
            if (v.is_string()) loaded[i][k] = v.get<std::string>();
    }
    tables_[0] = std::move(loaded[0]);
    tables_[1] = std::move(loaded[1]);
    return true;
}

const std::string& Translations::tr(std::string_view key) const { return tr(key, lang_); }

const std::string& Translations::tr(std::string_view key, Lang l) const {
    auto& t = tables_[static_cast<int>(l)];
    if (auto it = t.find(key); it != t.end()) return it->second;
    // Fall back to Chinese, then to the key itself so a gap is visible but harmless.
    if (l != Lang::ZhCN)
        if (auto it = tables_[0].find(key); it != tables_[0].end()) return it->second;
    miss_ = std::string(key);
    return miss_;
}

std::string Translations::format(std::string_view key, const std::vector<std::string>& args) const {
    std::string s = tr(key);
    for (size_t i = 0; i < args.size(); ++i) {
        std::string tag = "{" + std::to_string(i) + "}";
        for (size_t p = s.find(tag); p != std::string::npos; p = s.find(tag, p + args[i].size()))
            s.replace(p, tag.size(), args[i]);
    }
    return s;
}

std::vector<std::string> Translations::missing_keys() const {
    std::vector<std::string> out;
    for (int i = 0; i < 2; ++i)
        for (auto& [k, v] : tables_[i])
            if (!tables_[1 - i].count(k)) out.push_back(std::string(lang_file_stem(static_cast<Lang>(1 - i))) + ":" + k);
    return out;
}

std::string Translations::all_text() const {
    std::string s;
    for (auto& t : tables_)
        for (auto& [k, v] : t) s += v;
    return s;
}

} // namespace jf
