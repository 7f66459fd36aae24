// PNG writing for screenshots (libpng).
#include "gfx/window.hpp"

#include <png.h>

#include <cstdio>

namespace jf::gfx {

// libpng reports errors by longjmp: the function that calls setjmp holds no C++ objects, so
// nothing with a destructor is skipped or clobbered.
static bool encode_png(FILE* f, const uint8_t* rgba, int w, int h) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!png || !info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return false;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 3); // screenshots are taken in tests: favour speed
    png_write_info(png, info);
    for (int y = 0; y < h; ++y)
        png_write_row(png, const_cast<png_bytep>(rgba + static_cast<size_t>(y) * w * 4));
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return true;
}

bool write_png(const std::string& path, const uint8_t* rgba, int w, int h, std::string* error) {
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) {
        if (error) *error = "cannot write " + path;
        return false;
    }
    bool encoded = encode_png(f, rgba, w, h);
    bool closed = std::fclose(f) == 0;
    if (!encoded && error) *error = "cannot encode PNG " + path;
    else if (!closed && error) *error = "cannot write " + path;
    return encoded && closed;
}

} // namespace jf::gfx
