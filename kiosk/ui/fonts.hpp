// The glyph atlas, built from the characters actually shown.
//
// A CJK font has ~30,000 glyphs; an atlas of all of them at touchscreen sizes would not fit any
// GPU's texture limit. The atlas therefore holds only the characters that were noted: the
// translation tables, the database text on screen and whatever a view draws (names included).
// When a character appears that the atlas lacks, needs_rebuild() turns true and the application
// rebuilds between two frames, so the next frame shows it. If a rebuild would exceed the GPU's
// maximum texture size, the atlas keeps only recently shown characters, then shrinks its sizes.
#pragma once

#include "kiosk/ui/ui.hpp"

#include <imgui.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace jf::ui {

class Fonts {
  public:
    Fonts() = default;
    ~Fonts();
    Fonts(const Fonts&) = delete;
    Fonts& operator=(const Fonts&) = delete;
    // Reads the font file (a .ttc collection with `index`, or a .ttf/.otf with index 0).
    bool load(const std::string& path, int index, std::string* error);
    // The first CJK font found in the usual Debian locations (fonts-noto-cjk, fonts-wqy-*).
    static bool find_default(std::string* path, int* index);

    void set_max_texture_size(int px) { max_tex_ = px; }
    // Characters every build includes (translations); not required when space is short.
    void seed(std::string_view utf8);
    // Characters drawn this frame in `role`; marks the atlas stale if one is missing.
    void note(FontRole role, std::string_view utf8);
    // Characters about to be drawn in `role` (the next listings of a rotating list): gathering a
    // batch makes one rebuild instead of one per new line of text.
    void expect(FontRole role, std::string_view utf8);
    // Call once per frame, after any rebuild and before drawing.
    void begin_frame() {
        for (auto& f : frame_)
            f.clear();
    }
    bool needs_rebuild(float scale) const { return dirty_ || scale != built_scale_; }
    // Rebuilds io.Fonts for `scale` (1 at 1080p). Returns false only if no atlas could be built.
    bool rebuild(float scale);
    ImFont* get(FontRole role) const { return fonts_[static_cast<int>(role)]; }

    // For benchmarks and the admin screen.
    int tex_width() const { return tex_w_; }
    int tex_height() const { return tex_h_; }
    size_t glyph_count() const;
    double last_build_ms() const { return build_ms_; }
    int builds() const { return builds_; }

    static constexpr int kRoles = 4;
    static float base_size(FontRole r); // pixel size at 1080p

  private:
    bool build(float scale, bool with_seed, float shrink);
    // The font file, mapped read-only: only the pages FreeType reads (our glyphs) become resident.
    void* data_ = nullptr;
    size_t size_ = 0;
    int index_ = 0;
    int max_tex_ = 4096;
    std::set<uint32_t> seed_;
    std::set<uint32_t> shown_[kRoles]; // noted since start
    std::set<uint32_t> frame_[kRoles]; // noted during the last frame
    std::set<uint32_t> built_[kRoles]; // what the current atlas holds
    ImVector<ImWchar> ranges_[kRoles];
    ImFont* fonts_[kRoles] = {};
    bool dirty_ = true;
    float built_scale_ = 0;
    int tex_w_ = 0, tex_h_ = 0, builds_ = 0;
    double build_ms_ = 0;
};

// Decodes UTF-8 into code points; malformed bytes are skipped.
void decode_utf8(std::string_view s, const std::function<void(uint32_t)>& out);
// Appends code point `cp` to `out` as UTF-8.
void append_utf8(std::string* out, uint32_t cp);

} // namespace jf::ui
