// Glyph atlas from the characters actually shown; see fonts.hpp.
#include "kiosk/ui/fonts.hpp"

#include <imgui_freetype.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace jf::ui {

void decode_utf8(std::string_view s, const std::function<void(uint32_t)>& out) {
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > s.size()) {
            ++i;
            continue;
        }
        uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
        bool ok = true;
        for (int k = 1; k < len; ++k) {
            unsigned char cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xc0) != 0x80) ok = false;
            cp = (cp << 6) | (cc & 0x3f);
        }
        i += ok ? len : 1;
        if (ok) out(cp);
    }
}

void append_utf8(std::string* out, uint32_t cp) {
    if (cp < 0x80) {
        out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
        out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
        out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x110000) {
        out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
        out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
        out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
}

float Fonts::base_size(FontRole r) {
    switch (r) {
    case FontRole::Body:
        return 30;
    case FontRole::Large:
        return 40;
    case FontRole::Title:
        return 54;
    case FontRole::Huge:
        return 96;
    }
    return 30;
}

Fonts::~Fonts() {
    if (data_) munmap(data_, size_);
}

bool Fonts::load(const std::string& path, int index, std::string* error) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0) {
        if (fd >= 0) ::close(fd);
        if (error) *error = "cannot read font " + path;
        return false;
    }
    void* p = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) {
        if (error) *error = "cannot map font " + path;
        return false;
    }
    if (data_) munmap(data_, size_);
    data_ = p;
    size_ = static_cast<size_t>(st.st_size);
    index_ = index;
    dirty_ = true;
    return true;
}

bool Fonts::find_default(std::string* path, int* index) {
    // Index 2 of Noto Sans CJK's collection is the Simplified Chinese face.
    const std::pair<const char*, int> candidates[] = {
        {"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2},
        {"/usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc", 2},
        {"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0},
        {"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0},
    };
    for (auto& [p, i] : candidates) {
        if (std::filesystem::exists(p)) {
            *path = p;
            *index = i;
            return true;
        }
    }
    return false;
}

static bool wanted(uint32_t cp) {
    return cp >= 0x20 && cp != 0x7f && cp <= (sizeof(ImWchar) == 2 ? 0xffffu : 0x10ffffu);
}

void Fonts::seed(std::string_view utf8) {
    decode_utf8(utf8, [&](uint32_t cp) {
        if (wanted(cp) && seed_.insert(cp).second) dirty_ = true;
    });
}

void Fonts::note(FontRole role, std::string_view utf8) {
    int r = static_cast<int>(role);
    for (unsigned char c : utf8)
        if (c >= 0x80) goto slow; // ASCII is always in the atlas
    return;
slow:
    decode_utf8(utf8, [&](uint32_t cp) {
        if (!wanted(cp) || cp < 0x7f) return;
        frame_[r].insert(cp);
        if (built_[r].count(cp)) return;
        shown_[r].insert(cp);
        dirty_ = true;
    });
}

void Fonts::expect(FontRole role, std::string_view utf8) {
    int r = static_cast<int>(role);
    decode_utf8(utf8, [&](uint32_t cp) {
        if (!wanted(cp) || cp < 0x7f || built_[r].count(cp)) return;
        if (shown_[r].insert(cp).second) dirty_ = true;
    });
}

size_t Fonts::glyph_count() const {
    size_t n = 0;
    for (auto& b : built_)
        n += b.size();
    return n;
}

bool Fonts::build(float scale, bool with_seed, float shrink) {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    atlas->Clear();
    atlas->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas->Flags |= ImFontAtlasFlags_NoMouseCursors;
    double area = 0;
    for (int r = 0; r < kRoles; ++r) {
        std::set<uint32_t> chars;
        for (uint32_t cp = 0x20; cp < 0x7f; ++cp)
            chars.insert(cp);
        // The huge verdict font gets only what it showed: it costs 10x the area per glyph.
        if (with_seed && r != static_cast<int>(FontRole::Huge))
            chars.insert(seed_.begin(), seed_.end());
        // Short of space: only what the last frame showed.
        auto& extra = with_seed ? shown_[r] : frame_[r];
        chars.insert(extra.begin(), extra.end());
        ImFontGlyphRangesBuilder b;
        for (uint32_t cp : chars)
            b.AddChar(static_cast<ImWchar>(cp));
        ranges_[r].clear();
        b.BuildRanges(&ranges_[r]);
        built_[r] = chars;
        float px = std::round(base_size(static_cast<FontRole>(r)) * scale * shrink);
        area += static_cast<double>(chars.size()) * (px + 2) * (px + 2);
        ImFontConfig cfg;
        cfg.FontNo = index_;
        cfg.OversampleH = 1;
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        cfg.FontBuilderFlags =
            (r >= static_cast<int>(FontRole::Title) ? ImGuiFreeTypeBuilderFlags_Bold : 0) |
            ImGuiFreeTypeBuilderFlags_LightHinting;
        std::snprintf(cfg.Name, sizeof(cfg.Name), "cjk-%d-%g", r, px);
        // ImGui 1.86 copies font data it does not own (20 MB per size for a CJK collection). It
        // is told it owns ours, so it takes the pointer, and then told it does not, so it never
        // frees it: every size reads the one mapping.
        cfg.FontDataOwnedByAtlas = true;
        fonts_[r] =
            atlas->AddFontFromMemoryTTF(data_, static_cast<int>(size_), px, &cfg, ranges_[r].Data);
        atlas->ConfigData.back().FontDataOwnedByAtlas = false;
    }
    // A square-ish atlas no wider than the GPU allows.
    int w = 512;
    while (w < max_tex_ && static_cast<double>(w) * w < area * 1.15)
        w *= 2;
    atlas->TexDesiredWidth = std::min(w, max_tex_);
    if (!atlas->Build()) return false;
    tex_w_ = atlas->TexWidth;
    tex_h_ = atlas->TexHeight;
    return tex_w_ <= max_tex_ && tex_h_ <= max_tex_;
}

bool Fonts::rebuild(float scale) {
    if (!data_) return false;
    auto t0 = std::chrono::steady_clock::now();
    bool ok = build(scale, true, 1.0f);
    if (!ok) ok = build(scale, false, 1.0f);
    for (float shrink = 0.85f; !ok && shrink > 0.3f; shrink *= 0.85f)
        ok = build(scale, false, shrink);
    dirty_ = false;
    built_scale_ = scale;
    ++builds_;
    build_ms_ =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return ok;
}

} // namespace jf::ui
