// QR encoding with ZXing-C++ and drawing; see qr.hpp.
#include "kiosk/ui/qr.hpp"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

namespace jf::ui {

bool make_qr(std::string_view text, QrMatrix* out) {
    try {
        ZXing::MultiFormatWriter w(ZXing::BarcodeFormat::QRCode);
        // Level L: the screen is clean and flat, so fewer, larger modules scan better from a phone.
        w.setEncoding(ZXing::CharacterSet::UTF8).setEccLevel(1).setMargin(2);
        // Width 0 asks for one pixel per module.
        ZXing::BitMatrix bm = w.encode(std::string(text), 0, 0);
        if (bm.width() <= 0 || bm.width() != bm.height()) return false;
        out->size = bm.width();
        out->dark.assign(static_cast<size_t>(out->size) * out->size, 0);
        for (int y = 0; y < out->size; ++y)
            for (int x = 0; x < out->size; ++x)
                out->dark[y * out->size + x] = bm.get(x, y) ? 1 : 0;
        return true;
    } catch (const std::exception&) {
        return false; // too long for any QR version
    }
}

QrCache::~QrCache() {
    if (destroy_)
        for (auto& e : entries_)
            if (e.tex) destroy_(e.tex);
}

void QrCache::clear(Context&) {
    if (destroy_)
        for (auto& e : entries_)
            if (e.tex) destroy_(e.tex);
    entries_.clear();
}

QrCache::Entry* QrCache::get(Context& ctx, const std::string& key, const std::string& text) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        if (it->key != key) continue;
        entries_.splice(entries_.begin(), entries_, it);
        return &entries_.front();
    }
    Entry e;
    e.key = key;
    if (!make_qr(text, &e.m)) return nullptr;
    if (ctx.textures.create) {
        std::vector<uint8_t> rgba(e.m.dark.size() * 4);
        for (size_t i = 0; i < e.m.dark.size(); ++i) {
            uint8_t v = e.m.dark[i] ? 0 : 255;
            rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = v;
            rgba[i * 4 + 3] = 255;
        }
        e.tex = ctx.textures.create(rgba.data(), e.m.size, e.m.size);
        destroy_ = ctx.textures.destroy;
    }
    entries_.push_front(std::move(e));
    while (entries_.size() > capacity_) {
        if (entries_.back().tex && destroy_) destroy_(entries_.back().tex);
        entries_.pop_back();
    }
    return &entries_.front();
}

void QrCache::draw(Context& ctx, const std::string& key, const std::string& text, ImVec2 min,
                   float side) {
    auto* dl = ImGui::GetWindowDrawList();
    ImVec2 max{min.x + side, min.y + side};
    // Always dark on white, also in high contrast: phone scanners expect it.
    dl->AddRectFilled(min, max, IM_COL32(255, 255, 255, 255));
    Entry* e = get(ctx, key, text);
    if (!e) return;
    if (e->tex) {
        dl->AddImage(reinterpret_cast<ImTextureID>(e->tex), min, max);
        return;
    }
    float m = side / e->m.size;
    for (int y = 0; y < e->m.size; ++y) {
        int x = 0;
        while (x < e->m.size) {
            if (!e->m.dark[y * e->m.size + x]) {
                ++x;
                continue;
            }
            int x0 = x;
            while (x < e->m.size && e->m.dark[y * e->m.size + x])
                ++x;
            dl->AddRectFilled(ImVec2(min.x + x0 * m, min.y + y * m),
                              ImVec2(min.x + x * m, min.y + (y + 1) * m), IM_COL32(0, 0, 0, 255));
        }
    }
}

} // namespace jf::ui
