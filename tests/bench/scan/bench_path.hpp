// The whole decode → verdict path at 1080p (see bench_path.cpp).
#pragma once

#include "kiosk/crypto/crypto.hpp"

struct PathTimes {
    double p95_ms = 1e9;          // wall clock, decode + verify + durable record
    double decode_cpu_p95_ms = 0; // the decoder thread's own CPU time
    double desk_p95_ms = 0;       // verify + durable SQLite record (fsync) alone
};
PathTimes bench_path_1080p(const jf::SigningKey& issuer, bool quick);
