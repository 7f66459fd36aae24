// Loading and looking up the per-language string tables.
#include "kiosk/i18n/i18n.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace jf {

std::string assets_dir() {
    const char* env = std::getenv("JF_ASSETS_DIR");
    if (env && *env) return env;
    // Computed once: the program's own path does not change while it runs.
    static const std::string installed = [] {
        namespace fs = std::filesystem;
        std::error_code ec;
        fs::path exe = fs::read_symlink("/proc/self/exe", ec);
        if (ec) return std::string();
        fs::path dir = exe.parent_path().parent_path() / "share" / "jobfair" / "assets";
        return fs::is_directory(dir / "i18n", ec) ? dir.string() : std::string();
    }();
    return installed.empty() ? std::string(JF_ASSETS_DIR) : installed;
}

const char* lang_file_stem(Lang l) { return l == Lang::ZhCN ? "zh_CN" : "en_US"; }

// Each area keeps its strings in its own folder (assets/i18n/<area>/zh_CN.json), as ImHex's
// plugins do; the top-level tables and every area's are merged, and a key defined twice is an error.
bool Translations::load(const std::string& dir, std::string* error) {
    namespace fs = std::filesystem;
    std::vector<fs::path> folders{fs::path(dir)};
    std::error_code ec;
    for (auto& e : fs::directory_iterator(dir, ec))
        if (e.is_directory()) folders.push_back(e.path());
    std::sort(folders.begin() + 1, folders.end());
    std::map<std::string, std::string, std::less<>> loaded[2];
    for (int i = 0; i < 2; ++i) {
        for (auto& folder : folders) {
            fs::path path = folder / (std::string(lang_file_stem(static_cast<Lang>(i))) + ".json");
            if (folder != fs::path(dir) && !fs::exists(path)) continue;
            std::ifstream in(path);
            auto j = nlohmann::json::parse(in, nullptr, false);
            if (j.is_discarded() || !j.is_object()) {
                if (error) *error = "cannot read " + path.string();
                return false;
            }
            for (auto& [k, v] : j.items()) {
                if (!v.is_string()) continue;
                if (!loaded[i].emplace(k, v.get<std::string>()).second) {
                    if (error) *error = "key " + k + " defined twice (" + path.string() + ")";
                    return false;
                }
            }
        }
    }
    tables_[0] = std::move(loaded[0]);
    tables_[1] = std::move(loaded[1]);
    return true;
}

const std::string& Translations::tr(std::string_view key) const { return tr(key, lang_); }

const std::string& Translations::tr(std::string_view key, Lang l) const {
    auto& t = tables_[static_cast<int>(l)];
    if (!variant_.empty()) {
        std::string alt;
        alt.reserve(key.size() + 1 + variant_.size());
        alt.append(key).append("@").append(variant_);
        if (auto it = t.find(alt); it != t.end()) return it->second;
    }
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
