// ESC/POS receipts for thermal printers (58 mm and 80 mm): Chinese text in GB18030, the credential
// QR as a raster bit image (GS v 0, which every ESC/POS printer prints; GS ( k is not universal),
// feed and partial cut.
//
// Index
// - paper_dots      58 → 384 dots, 80 → 576 dots (or a dot count as given)
// - to_gb18030      UTF-8 → GB18030 (iconv)
// - Bitmap, qr_bitmap  1-bit image, the QR scaled to whole dots per module, centred on the paper
// - Receipt         the command stream, built call by call
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jf::print {

constexpr int kDots58 = 384; // printable width of 58 mm paper at 203 dpi (48 mm)
constexpr int kDots80 = 576; // 80 mm paper (72 mm printable)

// "58" or "58mm" → 384, "80" → 576, a dot count from 128 to 2048 (a multiple of 8) as given;
// 0 when the text is none of these.
int paper_dots(std::string_view spec);

// GB18030 bytes for UTF-8 text; nullopt when the text is not valid UTF-8.
std::optional<std::string> to_gb18030(std::string_view utf8);
// And back (tests and diagnostics); nullopt on bytes that are not GB18030.
std::optional<std::string> from_gb18030(std::string_view gb);

// 1-bit image, rows packed (stride == width); 1 = black dot.
struct Bitmap {
    int width = 0, height = 0;
    std::vector<uint8_t> dots;
    bool at(int x, int y) const { return dots[size_t(y) * size_t(width) + size_t(x)] != 0; }
};

// The QR code for `text` (error correction M, quiet zone 4 modules) with whole dots per module,
// at most `max_side` dots wide, centred in a bitmap `width` dots wide. Empty when it cannot fit
// at one dot per module or the text does not fit in a QR code.
Bitmap qr_bitmap(std::string_view text, int width, int max_side);

enum class Align { Left = 0, Center = 1, Right = 2 };

class Receipt {
  public:
    // Starts with ESC @ (initialise) and FS & (Chinese character mode).
    explicit Receipt(int paper_dots);
    int paper_dots() const { return dots_; }

    Receipt& align(Align a);                  // ESC a n
    Receipt& bold(bool on);                   // ESC E n
    Receipt& size(int width_x, int height_x); // GS ! n (1..8 each)
    // One line (or a wrapped paragraph, by the printer) of UTF-8 text, sent as GB18030 and ended
    // with LF. Control characters are dropped. False (nothing added) if it is not valid UTF-8.
    bool line(std::string_view utf8);
    Receipt& rule();                  // a line of dashes across the paper
    Receipt& image(const Bitmap& bm); // GS v 0, in bands of at most 128 rows
    Receipt& feed(int lines);         // ESC d n
    Receipt& cut();                   // GS V 66 n: feed to the cutter and cut partially

    const std::string& bytes() const { return out_; }

  private:
    int dots_;
    int width_x_ = 1;
    std::string out_;
};

} // namespace jf::print
