// PNG writing with libpng.
#include "platform/png/png.hpp"

#include <png.h>

#include <cstdio>
#include <cstdlib>

namespace jf::png {

// libpng reports errors by longjmp: the function that calls setjmp holds no C++ objects, so
// nothing with a destructor is skipped or clobbered.
static bool encode(FILE* f, const uint8_t* pixels, int w, int h, int channels) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!png || !info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return false;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, static_cast<png_uint_32>(w), static_cast<png_uint_32>(h), 8,
                 channels == 4 ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 3); // screenshots and test frames: favour speed over size
    png_write_info(png, info);
    const size_t stride = static_cast<size_t>(w) * static_cast<size_t>(channels);
    for (int y = 0; y < h; ++y)
        png_write_row(png, const_cast<png_bytep>(pixels + static_cast<size_t>(y) * stride));
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return true;
}

bool write(const std::string& path, const uint8_t* pixels, int w, int h, int channels,
           std::string* error) {
    if (!pixels || w <= 0 || h <= 0 || (channels != 1 && channels != 4)) {
        if (error) *error = "cannot encode PNG " + path + " (empty image)";
        return false;
    }
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) {
        if (error) *error = "cannot write " + path;
        return false;
    }
    bool encoded = encode(f, pixels, w, h, channels);
    bool closed = std::fflush(f) == 0;
    closed = std::fclose(f) == 0 && closed;
    if (!encoded && error) *error = "cannot encode PNG " + path;
    else if (!closed && error) *error = "cannot write " + path;
    return encoded && closed;
}

std::string encode(const uint8_t* pixels, int w, int h, int channels) {
    if (!pixels || w <= 0 || h <= 0 || (channels != 1 && channels != 4)) return {};
    char* buf = nullptr;
    size_t size = 0;
    FILE* f = open_memstream(&buf, &size);
    if (!f) return {};
    bool encoded = encode(f, pixels, w, h, channels);
    bool ok = std::fclose(f) == 0 && encoded;
    std::string out = ok && buf ? std::string(buf, size) : std::string();
    std::free(buf);
    return out;
}

} // namespace jf::png
