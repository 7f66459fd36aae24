// Helpers for the reliability tests: reading a database back directly (sqlite_read.hpp) on top of
// the store tests' fixture (temp dirs, sample records, signer, row digest).
#pragma once

#include "tests/reliability/sqlite_read.hpp"
#include "tests/store/fixture.hpp"
