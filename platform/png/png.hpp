// The one PNG writer (libpng): window screenshots (RGBA) and QR codes, badges and test frames
// (8-bit gray) are all written here.
#pragma once

#include <cstdint>
#include <string>

namespace jf::png {

// Writes `w`×`h` pixels of `channels` bytes each (1: gray, 4: RGBA), rows top to bottom, to
// `path`. False and `error` ("cannot write PATH" / "cannot encode PNG PATH") on failure; a file
// that could not be finished is left as it is for the caller to remove.
bool write(const std::string& path, const uint8_t* pixels, int w, int h, int channels,
           std::string* error = nullptr);

// The same PNG in memory (a page's data: image); empty on failure.
std::string encode(const uint8_t* pixels, int w, int h, int channels);

} // namespace jf::png
