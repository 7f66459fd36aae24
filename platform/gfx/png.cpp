// Screenshots as PNG, through the one PNG writer (platform/png).
#include "platform/gfx/window.hpp"
#include "platform/png/png.hpp"

namespace jf::gfx {

bool write_png(const std::string& path, const uint8_t* rgba, int w, int h, std::string* error) {
    return png::write(path, rgba, w, h, 4, error);
}

} // namespace jf::gfx
