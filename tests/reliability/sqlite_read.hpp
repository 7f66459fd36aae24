// Reading a SQLite file back directly, as the reliability tests check terminal and hub databases:
// integrity, sequence span, schema, one value.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <tuple>

namespace jf::test {

// A prepared statement that finalizes itself.
struct Stmt {
    sqlite3_stmt* s = nullptr;
    Stmt(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s, nullptr); }
    ~Stmt() { sqlite3_finalize(s); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
};

inline std::string column_text(sqlite3_stmt* s, int c) {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(s, c))) : std::string();
}

// "ok" for a healthy file, otherwise SQLite's list of problems.
inline std::string integrity_check(sqlite3* db) {
    Stmt q(db, "PRAGMA integrity_check");
    std::string out;
    while (sqlite3_step(q.s) == SQLITE_ROW)
        out += (out.empty() ? "" : "\n") + column_text(q.s, 0);
    return out;
}

// min(seq), max(seq), count(*) of the event log.
inline std::tuple<int64_t, int64_t, int64_t> seq_span(sqlite3* db) {
    Stmt q(db, "SELECT coalesce(min(seq), 0), coalesce(max(seq), 0), count(*) FROM events");
    if (sqlite3_step(q.s) != SQLITE_ROW) return {-1, -1, -1};
    return {sqlite3_column_int64(q.s, 0), sqlite3_column_int64(q.s, 1),
            sqlite3_column_int64(q.s, 2)};
}

// Tables, indexes and triggers as SQLite keeps them: equal means the schema is intact.
inline std::string schema_text(sqlite3* db) {
    Stmt q(db, "SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name");
    std::string out;
    while (sqlite3_step(q.s) == SQLITE_ROW)
        out += column_text(q.s, 0) + " " + column_text(q.s, 1) + ": " + column_text(q.s, 2) + "\n";
    return out;
}

// The first column of the first row of `sql` with one text parameter.
inline std::string query_text(sqlite3* db, const char* sql, const std::string& arg) {
    Stmt q(db, sql);
    sqlite3_bind_text(q.s, 1, arg.data(), static_cast<int>(arg.size()), SQLITE_TRANSIENT);
    return sqlite3_step(q.s) == SQLITE_ROW ? column_text(q.s, 0) : std::string();
}

} // namespace jf::test
