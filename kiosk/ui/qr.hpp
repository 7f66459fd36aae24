// QR codes for the screen: ZXing's MultiFormatWriter → module matrix → texture (or, without a
// GPU texture maker, rectangles in the draw list).
#pragma once

#include "kiosk/ui/ui.hpp"

#include <list>
#include <string>
#include <string_view>
#include <vector>

namespace jf::ui {

struct QrMatrix {
    int size = 0;              // modules per side, quiet zone included
    std::vector<uint8_t> dark; // size*size, 1 = dark
};
// UTF-8 text in byte mode with error correction level L; false if it does not fit a QR code.
bool make_qr(std::string_view text, QrMatrix* out);

// Keeps the textures of recently shown codes (listing QR codes on the station screen).
class QrCache {
  public:
    explicit QrCache(size_t capacity = 48) : capacity_(capacity) {}
    ~QrCache();
    // Draws the code for `text` filling the square at `min` with side `side`.
    void draw(Context& ctx, const std::string& key, const std::string& text, ImVec2 min,
              float side);
    void clear(Context& ctx);

  private:
    struct Entry {
        std::string key;
        QrMatrix m;
        uintptr_t tex = 0;
    };
    Entry* get(Context& ctx, const std::string& key, const std::string& text);
    std::list<Entry> entries_; // most recent first
    size_t capacity_;
    std::function<void(uintptr_t)> destroy_;
};

} // namespace jf::ui
