// The whole decode → verdict path at 1080p (see bench_path.cpp).
#pragma once

#include "crypto/crypto.hpp"
#include "scan/image.hpp"

#include <string>

double bench_path_p95_1080p(const std::string& text, const jf::SigningKey& issuer,
                            const jf::scan::GrayImage& qr, bool quick);
