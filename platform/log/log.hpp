// Structured, rotated logs for the terminal and the hub, with personal data kept out.
//
// Every line is one JSON object (time, level, component, event, fields) so a crash leaves a
// readable last line and tools can parse the file. Values pass through scrub() before they are
// written: anything shaped like a mainland mobile number or a resident ID is masked, so a careless
// call site cannot leak what docs/DESIGN.md §3 forbids.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace jf::log {

enum class Level { Debug, Info, Warn, Error };

// Opens <dir>/<name>.log, rotated at `max_bytes` keeping `files` old files. Until called, lines go
// to stderr. Safe to call once per process; a second call switches files. Every line reaches the
// file as it is written (no buffering to lose in a crash), and install_crash_handler() runs.
bool open(const std::string& dir, const std::string& name, size_t max_bytes = 5 << 20, size_t files = 5);
void set_level(Level l);
void flush();

using Field = std::pair<std::string_view, std::string>;
void write(Level l, std::string_view component, std::string_view event, std::initializer_list<Field> fields = {});

inline void info(std::string_view c, std::string_view e, std::initializer_list<Field> f = {}) { write(Level::Info, c, e, f); }
inline void warn(std::string_view c, std::string_view e, std::initializer_list<Field> f = {}) { write(Level::Warn, c, e, f); }
inline void error(std::string_view c, std::string_view e, std::initializer_list<Field> f = {}) { write(Level::Error, c, e, f); }

// When the process dies of SIGSEGV, SIGBUS, SIGFPE, SIGILL or SIGABRT, appends a last line
// {"level":"fatal","event":"fatal_signal","signal":"SIGSEGV","last_event":"<component>.<event>"}
// to the open log (stderr before open()), then lets the signal do what it did before (the
// default action, or a sanitizer's report). An uncaught exception first logs "uncaught_exception"
// with its message. Idempotent; open() calls it.
void install_crash_handler();

// Masks digit runs that look like a mobile number (11 digits starting with 1) or a resident ID
// (15 or 17 digits + digit/X): 138****5678, 3402**********1234.
std::string scrub(std::string_view text);

} // namespace jf::log
