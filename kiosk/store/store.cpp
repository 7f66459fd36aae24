// The terminal's SQLite store: durable, migrated, every statement prepared once and cached.
//
// Index
// - Statements       the prepared-statement cache, a small binding helper, transactions
// - Input checks     what each public entry point refuses (UTF-8, lengths, masks, hashes)
// - Opening          pragmas, migrations
// - Settings
// - Reference data   campaigns, fairs, employers, listings, attendees, revocations, issuer keys
// - Listing search   one FTS5 bigram index narrows, instr() keeps the answer exact
// - Event log        append, check-ins (dedupe), placements (versions), outbox
#include "kiosk/store/store.hpp"
#include "kiosk/domain/clock.hpp"

#include "kiosk/domain/event_codec.hpp"
#include "kiosk/domain/validate.hpp"
#include "platform/log/private_files.hpp"
#include "kiosk/store/schema.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>
#include <type_traits>
#include <unordered_map>
#include <variant>

namespace jf {

// -----------------------------------------------------------------------------
// Statements
// -----------------------------------------------------------------------------

struct Store::Impl {
    std::unordered_map<std::string, sqlite3_stmt*> cache;
    // Search statements are shaped by the query (number and kind of terms): kept apart and
    // bounded, so unusual queries cannot grow memory without end.
    std::unordered_map<std::string, sqlite3_stmt*> search_cache;
    int depth = 0; // open transactions: 0 none, 1 BEGIN, >1 savepoints
    ~Impl() {
        for (auto& [sql, st] : cache)
            sqlite3_finalize(st);
        for (auto& [sql, st] : search_cache)
            sqlite3_finalize(st);
    }
};

namespace {

// The first failing result code of a step on this thread since the start of the last
// transaction: the rollback after a failed commit fails or succeeds in its own way,
// and the message key should still say "disk full" or "damaged".
thread_local int g_failed_rc = SQLITE_OK;
int noted(int rc) {
    if (rc != SQLITE_ROW && rc != SQLITE_DONE && rc != SQLITE_OK && g_failed_rc == SQLITE_OK)
        g_failed_rc = rc;
    return rc;
}

// One use of a cached statement: binds, steps, reads columns, and resets when it goes away.
class Q {
  public:
    explicit Q(sqlite3_stmt* s) : s_(s) {}
    ~Q() {
        if (s_) {
            sqlite3_reset(s_);
            sqlite3_clear_bindings(s_);
        }
    }
    Q(const Q&) = delete;
    Q& operator=(const Q&) = delete;
    bool ok() const { return s_ != nullptr; }

    Q& bind(int i, std::string_view v) {
        // A null pointer would bind SQL NULL; empty text stays text.
        if (s_)
            sqlite3_bind_text(s_, i, v.empty() ? "" : v.data(), static_cast<int>(v.size()),
                              SQLITE_TRANSIENT);
        return *this;
    }
    Q& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
    Q& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
    Q& bind(int i, int64_t v) {
        if (s_) sqlite3_bind_int64(s_, i, v);
        return *this;
    }
    Q& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
    Q& bind(int i, const Bytes& v) {
        if (s_) {
            if (v.empty())
                sqlite3_bind_zeroblob(s_, i, 0);
            else
                sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        }
        return *this;
    }
    Q& null(int i) {
        if (s_) sqlite3_bind_null(s_, i);
        return *this;
    }

    bool row() { return s_ && noted(sqlite3_step(s_)) == SQLITE_ROW; }
    bool done() { return s_ && noted(sqlite3_step(s_)) == SQLITE_DONE; }
    // Steps once: true on a row or on the end; false on an error.
    bool step(bool& has_row) {
        if (!s_) return false;
        int rc = noted(sqlite3_step(s_));
        has_row = rc == SQLITE_ROW;
        return rc == SQLITE_ROW || rc == SQLITE_DONE;
    }

    std::string text(int c) const {
        auto p = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
        return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(s_, c))) : std::string();
    }
    int64_t i64(int c) const { return sqlite3_column_int64(s_, c); }
    bool is_null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
    Bytes blob(int c) const {
        auto p = static_cast<const uint8_t*>(sqlite3_column_blob(s_, c));
        int n = sqlite3_column_bytes(s_, c);
        return p ? Bytes(p, p + n) : Bytes();
    }

  private:
    sqlite3_stmt* s_;
};

sqlite3_stmt* prepared(sqlite3* db, Store::Impl& impl, const std::string& sql);


Date date_of(int64_t yyyymmdd) {
    return Date{static_cast<int>(yyyymmdd / 10000), static_cast<int>(yyyymmdd / 100 % 100),
                static_cast<int>(yyyymmdd % 100)};
}

// -----------------------------------------------------------------------------
// Input checks
// -----------------------------------------------------------------------------

constexpr size_t kShortText = 256;   // ids, names, codes
constexpr size_t kMediumText = 2000; // addresses, salaries, reasons
constexpr size_t kLongText = 20000;  // 职位描述及要求, 备注

// Well-formed UTF-8 (no overlongs, no surrogates), no NUL, within `max` bytes.
bool text_ok(std::string_view s, size_t max = kMediumText) {
    if (s.size() > max) return false;
    for (size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c == 0) return false;
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t n = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        uint32_t cp = c & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
        for (size_t k = 1; k < n; ++k) {
            auto d = static_cast<unsigned char>(s[i + k]);
            if ((d >> 6) != 2) return false;
            cp = (cp << 6) | (d & 0x3f);
        }
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
            (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n;
    }
    return true;
}

bool id_ok(std::string_view id) {
    return !trim(id).empty() && text_ok(id, kShortText);
}

// A masked value always hides something; a bare number here would be a plain ID or phone number.
bool masked_ok(std::string_view s) {
    return s.empty() || (s.find('*') != std::string_view::npos && text_ok(s, 64));
}

bool sealed_ok(std::string_view s) {
    if (s.empty()) return true;
    if (s.size() > 4096) return false;
    auto b = from_base64(s);
    return b && b->size() >= 48; // crypto_box_SEALBYTES
}

bool initials_ok(std::string_view s) {
    if (s.size() > 16) return false;
    for (char c : s)
        if (c < 'a' || c > 'z') return false;
    return true;
}

bool strokes_ok(const Signature& s) {
    if (s.strokes.size() > 200) return false;
    size_t points = 0;
    for (auto& stroke : s.strokes) {
        if (stroke.empty()) return false;
        points += stroke.size();
        for (auto& [x, y] : stroke)
            if (x < 0 || x > 1000 || y < 0 || y > 1000) return false;
    }
    return points <= 20000;
}

// -- Bigram index ---------------------------------------------------------------------

// Characters that separate runs of searchable text (punctuation, spaces, symbols).
bool separator(uint32_t cp) {
    if (cp < 0x80)
        return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
    return (cp >= 0x80 && cp <= 0xbf) || (cp >= 0x2000 && cp <= 0x2bff) ||
           (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
           (cp >= 0xff00 && cp <= 0xff0f) || (cp >= 0xff1a && cp <= 0xff20) ||
           (cp >= 0xff3b && cp <= 0xff40) || (cp >= 0xff5b && cp <= 0xff65);
}

// Query characters the bigram index answers for exactly: ASCII letters and digits, CJK ideographs,
// full-width letters and digits. Anything else in a short query takes the plain scan.
bool indexable(uint32_t cp) {
    return (cp < 0x80 && !separator(cp)) || (cp >= 0x3400 && cp <= 0x4dbf) ||
           (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) ||
           (cp >= 0xff10 && cp <= 0xff19) || (cp >= 0xff21 && cp <= 0xff3a) ||
           (cp >= 0xff41 && cp <= 0xff5a);
}

// Code points of valid UTF-8 text (the store only holds valid UTF-8), with their byte spans.
std::vector<std::pair<uint32_t, std::string_view>> code_points_of(std::string_view s) {
    std::vector<std::pair<uint32_t, std::string_view>> out;
    for (size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
        n = std::min(n, s.size() - i);
        uint32_t cp = n == 1 ? c : c & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
        for (size_t k = 1; k < n; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
        out.emplace_back(cp, s.substr(i, n));
        i += n;
    }
    return out;
}

// The bigram index's text for a listing: every pair of neighbouring characters inside a run of
// text, plus each run's last character, space-separated. A 2-character query is then one token,
// and a 1-character query a prefix query ("焊" *), whether or not the character ends a run.
// Written in one pass over the bytes (an import makes one for every listing).
std::string listing_grams(std::initializer_list<std::string_view> fields) {
    std::string out;
    size_t bytes = 0;
    for (auto field : fields)
        bytes += field.size();
    out.reserve(bytes * 2 + 8);
    for (auto field : fields) {
        std::string_view prev; // the previous character, when it is not a separator
        for (size_t i = 0; i <= field.size();) {
            std::string_view cur;
            bool sep = true; // the end of the field ends a run too
            if (i < field.size()) {
                auto c = static_cast<unsigned char>(field[i]);
                size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
                n = std::min(n, field.size() - i);
                uint32_t cp = n == 1 ? c : c & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
                for (size_t k = 1; k < n; ++k)
                    cp = (cp << 6) | (static_cast<unsigned char>(field[i + k]) & 0x3f);
                cur = field.substr(i, n);
                sep = separator(cp);
                i += n;
            } else {
                ++i;
            }
            if (!prev.empty()) {
                out += prev;
                if (!sep) out += cur;
                out += ' ';
            }
            prev = sep ? std::string_view() : cur;
        }
    }
    return out;
}

} // namespace

// -----------------------------------------------------------------------------
// Opening
// -----------------------------------------------------------------------------

namespace {

sqlite3_stmt* prepared(sqlite3* db, Store::Impl& impl, const std::string& sql) {
    if (auto it = impl.cache.find(sql); it != impl.cache.end()) return it->second;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &st, nullptr) != SQLITE_OK)
        return nullptr;
    impl.cache.emplace(sql, st);
    return st;
}

// For one search statement at a time: no other search statement is in use when this is called.
sqlite3_stmt* prepared_search(sqlite3* db, Store::Impl& impl, const std::string& sql) {
    if (auto it = impl.search_cache.find(sql); it != impl.search_cache.end()) return it->second;
    if (impl.search_cache.size() >= 64) {
        for (auto& [text, st] : impl.search_cache)
            sqlite3_finalize(st);
        impl.search_cache.clear();
    }
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &st, nullptr) != SQLITE_OK)
        return nullptr;
    impl.search_cache.emplace(sql, st);
    return st;
}

bool exec(sqlite3* db, const char* sql) {
    return noted(sqlite3_exec(db, sql, nullptr, nullptr, nullptr)) == SQLITE_OK;
}

int user_version(sqlite3* db) {
    sqlite3_stmt* st = nullptr;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

std::string pragma_text(sqlite3* db, const char* sql) {
    sqlite3_stmt* st = nullptr;
    std::string v;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        if (auto p = sqlite3_column_text(st, 0)) v = reinterpret_cast<const char*>(p);
    sqlite3_finalize(st);
    return v;
}

// After a table rebuild: every reference still finds its row (foreign_key_check reports none).
bool foreign_keys_intact(sqlite3* db) {
    sqlite3_stmt* st = nullptr;
    bool ok = sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st, nullptr) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    return ok;
}

// Migration 3's data step: index the listings an older version stored.
bool fill_bigram_index(sqlite3* db) {
    sqlite3_stmt *read = nullptr, *write = nullptr;
    bool ok = sqlite3_prepare_v2(db, "SELECT pk, title, description, employer_name FROM listings",
                                 -1, &read, nullptr) == SQLITE_OK &&
              sqlite3_prepare_v2(db, "INSERT INTO listings_bigram(rowid, grams) VALUES (?1, ?2)",
                                 -1, &write, nullptr) == SQLITE_OK;
    auto col = [&](int c) {
        auto p = reinterpret_cast<const char*>(sqlite3_column_text(read, c));
        return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(read, c)))
                 : std::string_view();
    };
    while (ok && sqlite3_step(read) == SQLITE_ROW) {
        std::string grams = listing_grams({col(1), col(2), col(3)});
        sqlite3_bind_int64(write, 1, sqlite3_column_int64(read, 0));
        sqlite3_bind_text(write, 2, grams.c_str(), static_cast<int>(grams.size()),
                          SQLITE_TRANSIENT);
        ok = sqlite3_step(write) == SQLITE_DONE;
        sqlite3_reset(write);
    }
    sqlite3_finalize(read);
    sqlite3_finalize(write);
    return ok;
}

} // namespace

bool Store::fail(std::string_view key) const {
    error_ = std::string(key);
    detail_ = db_ ? sqlite3_errmsg(db_) : "";
    // "Could not be read or written" says what SQLite knows more precisely when it can.
    if (key == "err.store.db" && db_) {
        int code =
            g_failed_rc != SQLITE_OK ? g_failed_rc & 0xff : sqlite3_extended_errcode(db_) & 0xff;
        if (refused_ || code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
            error_ = "err.store.damaged";
        else if (code == SQLITE_FULL)
            error_ = "err.store.full";
        else if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN)
            error_ = "err.store.readonly";
    }
    return false;
}

std::string Store::check_file(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path dir = fs::path(path).parent_path();
    if (dir.empty()) dir = ".";
    if (::access(dir.c_str(), W_OK) != 0 && errno != ENOENT) return "err.store.readonly_dir";
    if (!fs::exists(path, ec)) return "";
    auto size = fs::file_size(path, ec);
    if (ec) return "err.store.open";
    if (size == 0) return "err.store.emptied";
    std::ifstream in(path, std::ios::binary);
    unsigned char h[100] = {};
    in.read(reinterpret_cast<char*>(h), sizeof h);
    if (in.gcount() < 100 || std::memcmp(h, "SQLite format 3", 16) != 0)
        return "err.store.not_database";
    auto be32 = [&](int i) {
        return (uint64_t(h[i]) << 24) | (uint64_t(h[i + 1]) << 16) | (uint64_t(h[i + 2]) << 8) |
               uint64_t(h[i + 3]);
    };
    uint64_t page = (uint64_t(h[16]) << 8) | h[17];
    if (page == 1) page = 65536;
    // The page count in the header is current when its "valid-for" number equals the change
    // counter (every SQLite since 3.7.0 keeps it so); the file never holds fewer pages than that.
    if (be32(92) == be32(24) && be32(28) > 0 && size < be32(28) * page)
        return "err.store.truncated";
    return "";
}

IntegrityReport Store::check_integrity(bool full) const {
    IntegrityReport r;
    sqlite3_stmt* st = nullptr;
    const char* sql = full ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check(20)";
    int rc = sqlite3_prepare_v2(db_, sql, -1, &st, nullptr);
    std::string first;
    int rows = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char* t = sqlite3_column_text(st, 0);
        std::string line = t ? reinterpret_cast<const char*>(t) : "";
        if (rows++ == 0) first = line;
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE) first = first.empty() ? sqlite3_errmsg(db_) : first;
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE && rows == 1 && first == "ok") return r;
    r.ok = false;
    r.key = "err.store.damaged";
    r.detail = first.empty() ? "integrity check failed" : first;
    return r;
}

bool Store::refuse_writes() {
    refused_ = true;
    return exec(db_, "PRAGMA query_only=ON");
}

std::string Store::keep_copy(const std::string& path, TimeMs now) {
    namespace fs = std::filesystem;
    std::time_t secs = static_cast<std::time_t>(now / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    std::string copy = path + ".damaged-" + stamp;
    std::error_code ec;
    fs::copy_file(path, copy, fs::copy_options::overwrite_existing, ec);
    if (ec) return "";
    fs::permissions(copy, fs::perms::owner_read | fs::perms::owner_write, ec);
    if (fs::exists(path + "-wal", ec)) {
        fs::copy_file(path + "-wal", copy + "-wal", fs::copy_options::overwrite_existing, ec);
        fs::permissions(copy + "-wal", fs::perms::owner_read | fs::perms::owner_write, ec);
    }
    return copy;
}

std::unique_ptr<Store> Store::open(const std::string& path, std::string* error) {
    auto refuse = [&](const char* key) -> std::unique_ptr<Store> {
        if (error) *error = key;
        return nullptr;
    };
    if (!crypto_init()) return refuse("err.store.open");
    if (std::string why = check_file(path); !why.empty()) {
        if (error) *error = why;
        return nullptr;
    }
    namespace fs = std::filesystem;
    std::error_code ec;
    // A new store is made whole under a temporary name, then renamed into place: a kill or power
    // cut while it is being made leaves no file, never an empty one (which reads as "emptied" and
    // would refuse every later start).
    if (path != ":memory:" && !path.empty() && !fs::exists(path, ec)) {
        std::string tmp = path + ".new";
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            fs::remove(tmp + suffix, ec);
        if (!open_file(tmp, error)) return nullptr; // closed at once: the WAL folds into the file
        for (const char* suffix : {"-wal", "-shm"})
            fs::remove(tmp + suffix, ec);
        fs::path dir = fs::path(path).parent_path();
        if (!files::sync_to_disk(tmp) || std::rename(tmp.c_str(), path.c_str()) != 0 ||
            !files::sync_to_disk(dir.empty() ? "." : dir.string()))
            return refuse("err.store.open");
    }
    return open_file(path, error);
}

std::unique_ptr<Store> Store::open_file(const std::string& path, std::string* error) {
    auto refuse = [&](const char* key) -> std::unique_ptr<Store> {
        if (error) *error = key;
        return nullptr;
    };
    std::unique_ptr<Store> s(new Store);
    s->impl_ = std::make_unique<Impl>();
    // Owner-only: made 0600 before SQLite opens it (its -wal and -shm take the file's mode), and
    // an older install's 0644 file (with its -wal and -shm) corrected. ":memory:" has no file.
    if (path != ":memory:" && !path.empty()) {
        if (!files::create_private(path)) return refuse("err.store.open");
        for (const char* suffix : {"-wal", "-shm", "-journal"})
            if (::access((path + suffix).c_str(), F_OK) == 0) files::create_private(path + suffix);
    }
    if (sqlite3_open_v2(path.c_str(), &s->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK)
        return refuse("err.store.open");
    sqlite3* db = s->db_;
    sqlite3_extended_result_codes(db, 1);
    // The sync thread's connection (and an import) writes too; wait for it rather than fail, up to
    // 5 s. Polled every millisecond (SQLite's own timeout sleeps ever longer, up to 100 ms), so a
    // check-in takes the lock within a millisecond of another writer's short transaction ending.
    sqlite3_busy_handler(
        db,
        [](void*, int tries) {
            if (tries >= 5000) return 0;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            return 1;
        },
        nullptr);
    // WAL + FULL: a commit is on disk (the WAL is fsynced) before record_* returns.
    if (pragma_text(db, "PRAGMA journal_mode=WAL") != "wal") return refuse("err.store.open");
    // secure_delete: whatever a delete or update frees is overwritten with zeros, in the file and
    // in the WAL, so no free page or cell keeps a person's data (docs/privacy.md).
    if (!exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"))
        return refuse("err.store.open");
    if (pragma_text(db, "PRAGMA synchronous") != "2" ||
        pragma_text(db, "PRAGMA foreign_keys") != "1")
        return refuse("err.store.open");

    int v = user_version(db);
    if (v < 0) return refuse("err.store.open");
    if (v > kSchemaVersion) return refuse("err.store.newer_schema");
    for (auto& m : schema::kMigrations) {
        if (m.version <= v) continue;
        // The pragma is a no-op inside a transaction, so it is set before BEGIN.
        if (m.rebuilds_tables && !exec(db, "PRAGMA foreign_keys=OFF"))
            return refuse("err.store.migration");
        if (!exec(db, "BEGIN IMMEDIATE")) return refuse("err.store.migration");
        // Another connection may have migrated while we waited for the write lock.
        int now = user_version(db);
        bool migrated_here = now < m.version;
        if (migrated_here) {
            std::string bump = "PRAGMA user_version=" + std::to_string(m.version);
            if (!exec(db, m.sql) || (m.version == 3 && !fill_bigram_index(db)) ||
                (m.rebuilds_tables && !foreign_keys_intact(db)) || !exec(db, bump.c_str())) {
                exec(db, "ROLLBACK");
                return refuse("err.store.migration");
            }
        }
        if (!exec(db, "COMMIT")) {
            exec(db, "ROLLBACK");
            return refuse("err.store.migration");
        }
        if (m.rebuilds_tables && (!exec(db, "PRAGMA foreign_keys=ON") ||
                                  pragma_text(db, "PRAGMA foreign_keys") != "1"))
            return refuse("err.store.open");
        // Schema 5 dropped the look-up hashes and key (secure_delete zeroed the cells): rebuild
        // the file too, so no stale copy left by earlier updates survives, and fold the WAL in.
        // Best effort: should another connection be reading just then, the open still succeeds
        // and the zeroed cells are what protects.
        if (m.version == 5 && migrated_here && exec(db, "VACUUM"))
            pragma_text(db, "PRAGMA wal_checkpoint(TRUNCATE)");
        v = m.version;
    }
    return s;
}

Store::~Store() {
    impl_.reset(); // statements first, then the connection
    if (db_) sqlite3_close(db_);
}

int Store::schema_version() const {
    return user_version(db_);
}

// Transactions nest: the outermost is BEGIN IMMEDIATE (takes the write lock at once, so a
// check-in never fails half-way on a lock), inner ones are savepoints.
namespace {
struct TxOps {
    sqlite3* db;
    Store::Impl& impl;
    bool begin() {
        if (impl.depth == 0) g_failed_rc = SQLITE_OK; // a new attempt: earlier failures are told
        std::string sql =
            impl.depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT jf" + std::to_string(impl.depth);
        Q q(prepared(db, impl, sql));
        if (!q.done()) return false;
        ++impl.depth;
        return true;
    }
    bool commit() {
        --impl.depth;
        std::string sql = impl.depth == 0 ? "COMMIT" : "RELEASE jf" + std::to_string(impl.depth);
        bool ok;
        {
            Q q(prepared(db, impl, sql));
            ok = q.done();
        }
        if (!ok) {
            ++impl.depth;
            rollback();
        }
        return ok;
    }
    void rollback() {
        --impl.depth;
        if (impl.depth == 0) {
            Q q(prepared(db, impl, "ROLLBACK"));
            q.done();
        } else {
            std::string n = std::to_string(impl.depth);
            {
                Q q(prepared(db, impl, "ROLLBACK TO jf" + n));
                q.done();
            }
            Q r(prepared(db, impl, "RELEASE jf" + n));
            r.done();
        }
    }
};
} // namespace

bool Store::transaction(const std::function<bool()>& fn) {
    TxOps tx{db_, *impl_};
    if (!tx.begin()) return fail("err.store.db");
    error_.clear();
    bool ok = false;
    try {
        ok = fn();
    } catch (...) {
        ok = false;
    }
    if (!ok) {
        std::string keep = error_, keep_detail = detail_;
        tx.rollback();
        if (keep.empty())
            fail("err.store.aborted");
        else
            error_ = keep, detail_ = keep_detail;
        return false;
    }
    if (!tx.commit()) return fail("err.store.db");
    return true;
}

// -----------------------------------------------------------------------------
// Settings
// -----------------------------------------------------------------------------

std::optional<std::string> Store::setting(std::string_view key) const {
    Q q(prepared(db_, *impl_, "SELECT value FROM settings WHERE key = ?1"));
    q.bind(1, key);
    if (!q.row()) return std::nullopt;
    return q.text(0);
}

bool Store::set_setting(std::string_view key, std::string_view value) {
    if (!id_ok(key)) return fail("err.store.setting_key");
    if (!text_ok(value, 1 << 16)) return fail("err.store.text");
    Q q(prepared(db_, *impl_,
                 "INSERT INTO settings(key, value) VALUES (?1, ?2) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    q.bind(1, key).bind(2, value);
    return q.done() || fail("err.store.db");
}

// -----------------------------------------------------------------------------
// Reference data
// -----------------------------------------------------------------------------

bool Store::upsert_campaign(const Campaign& c) {
    if (!id_ok(c.id)) return fail("err.store.id_missing");
    if (trim(c.name).empty()) return fail("err.store.name_missing");
    if (!text_ok(c.name, kMediumText)) return fail("err.store.text");
    if (!c.concentrated_from.valid() || !c.concentrated_until.valid() || !c.year_from.valid() ||
        !c.year_until.valid() || c.concentrated_until < c.concentrated_from ||
        c.year_until < c.year_from)
        return fail("err.store.campaign_dates");
    Q q(prepared(
        db_, *impl_,
        "INSERT INTO campaigns(id, name, concentrated_from, concentrated_until, year_from, "
        "year_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET "
        "name = excluded.name, concentrated_from = excluded.concentrated_from, "
        "concentrated_until = excluded.concentrated_until, year_from = excluded.year_from, "
        "year_until = excluded.year_until"));
    q.bind(1, c.id).bind(2, c.name).bind(3, c.concentrated_from.yyyymmdd());
    q.bind(4, c.concentrated_until.yyyymmdd())
        .bind(5, c.year_from.yyyymmdd())
        .bind(6, c.year_until.yyyymmdd());
    return q.done() || fail("err.store.db");
}

bool Store::upsert_fair(const Fair& f) {
    if (!id_ok(f.id)) return fail("err.store.id_missing");
    if (trim(f.name).empty()) return fail("err.store.name_missing");
    if (!text_ok(f.campaign_id, kShortText) || !text_ok(f.name) || !text_ok(f.union_unit) ||
        !text_ok(f.venue))
        return fail("err.store.text");
    if (!f.date.valid()) return fail("err.store.fair_date");
    Q q(prepared(
        db_, *impl_,
        "INSERT INTO fairs(id, campaign_id, name, union_unit, venue, date, online, special) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id) DO UPDATE SET "
        "campaign_id = excluded.campaign_id, name = excluded.name, "
        "union_unit = excluded.union_unit, venue = excluded.venue, date = excluded.date, "
        "online = excluded.online, special = excluded.special"));
    q.bind(1, f.id).bind(2, f.campaign_id).bind(3, f.name).bind(4, f.union_unit).bind(5, f.venue);
    q.bind(6, f.date.yyyymmdd()).bind(7, f.online ? 1 : 0).bind(8, f.special ? 1 : 0);
    return q.done() || fail("err.store.db");
}

bool Store::upsert_employer(const Employer& e) {
    if (!id_ok(e.id)) return fail("err.store.id_missing");
    if (trim(e.name).empty()) return fail("err.store.name_missing");
    if (!text_ok(e.name) || !text_ok(e.credit_code, 64) || !text_ok(e.union_unit) ||
        !text_ok(e.contact_name) || !text_ok(e.contact_phone, 64))
        return fail("err.store.text");
    if (!e.credit_code.empty())
        if (auto c = check_credit_code(e.credit_code); !c) return fail(c.key);
    if (!e.contact_phone.empty())
        if (auto c = check_contact_phone(e.contact_phone); !c) return fail(c.key);
    Q q(prepared(db_, *impl_,
                 "INSERT INTO employers(id, name, credit_code, union_unit, contact_name, "
                 "contact_phone) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET "
                 "name = excluded.name, credit_code = excluded.credit_code, "
                 "union_unit = excluded.union_unit, contact_name = excluded.contact_name, "
                 "contact_phone = excluded.contact_phone"));
    q.bind(1, e.id).bind(2, e.name).bind(3, e.credit_code).bind(4, e.union_unit);
    q.bind(5, e.contact_name).bind(6, e.contact_phone);
    return q.done() || fail("err.store.db");
}

namespace {
Check listing_ok(const JobListing& l) {
    if (!id_ok(l.id)) return Check::fail("err.store.id_missing");
    for (std::string_view s : {std::string_view(l.employer_id), std::string_view(l.union_unit),
                               std::string_view(l.employer_name), std::string_view(l.title),
                               std::string_view(l.work_location), std::string_view(l.industry),
                               std::string_view(l.salary), std::string_view(l.gender_requirement),
                               std::string_view(l.education), std::string_view(l.contact_name),
                               std::string_view(l.contact_phone), std::string_view(l.email),
                               std::string_view(l.experience)})
        if (!text_ok(s)) return Check::fail("err.store.text");
    if (!text_ok(l.description, kLongText) || !text_ok(l.remarks, kLongText))
        return Check::fail("err.store.text");
    if (auto problems = check_listing(l); !problems.empty())
        return Check::fail(problems.front().key);
    return Check::pass();
}
} // namespace

bool Store::upsert_listing(const JobListing& l) {
    return upsert_listings(std::vector<JobListing>{l});
}

bool Store::upsert_listings(const std::vector<JobListing>& listings) {
    for (auto& l : listings)
        if (auto c = listing_ok(l); !c) return fail(c.key);
    TxOps tx{db_, *impl_};
    if (!tx.begin()) return fail("err.store.db");
    for (auto& l : listings)
        if (!put_listing(l)) {
            fail("err.store.db");
            tx.rollback();
            return false;
        }
    return tx.commit() || fail("err.store.db");
}

// One listing's row and its search index entry, in the caller's transaction. No savepoint and no
// trigger: SQLite opens a statement savepoint for a statement that fires a trigger, and FTS5 writes
// its pending index out as a new segment at every savepoint, which made each row cost a flush.
bool Store::put_listing(const JobListing& l) {
    int64_t pk = 0;
    bool same_text = false;
    {
        Q old(prepared(db_, *impl_,
                       "SELECT pk, title, description, employer_name FROM listings WHERE id = ?1"));
        old.bind(1, l.id);
        bool has_row = false;
        if (!old.step(has_row)) return false;
        if (has_row) {
            pk = old.i64(0);
            std::string title = old.text(1), description = old.text(2), employer = old.text(3);
            same_text =
                title == l.title && description == l.description && employer == l.employer_name;
            // The indexes keep no copy of the text: the old entries are removed with the old text.
            if (!same_text && !unindex_listing(pk, title, description, employer)) return false;
        }
    }
    {
        Q q(prepared(
            db_, *impl_,
            "INSERT INTO listings(id, employer_id, union_unit, employer_name, title, headcount, "
            "work_location, industry, salary, gender_requirement, education, contact_name, "
            "contact_phone, email, description, experience, deadline, remarks, collected_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
            "?18, ?19) "
            "ON CONFLICT(id) DO UPDATE SET employer_id = excluded.employer_id, "
            "union_unit = excluded.union_unit, employer_name = excluded.employer_name, "
            "title = excluded.title, headcount = excluded.headcount, "
            "work_location = excluded.work_location, industry = excluded.industry, "
            "salary = excluded.salary, gender_requirement = excluded.gender_requirement, "
            "education = excluded.education, contact_name = excluded.contact_name, "
            "contact_phone = excluded.contact_phone, email = excluded.email, "
            "description = excluded.description, experience = excluded.experience, "
            "deadline = excluded.deadline, remarks = excluded.remarks, "
            "collected_at = CASE WHEN ?20 > 0 AND (listings.collected_at = 0 OR "
            "?20 < listings.collected_at) THEN ?20 ELSE listings.collected_at END"));
        q.bind(1, l.id)
            .bind(2, l.employer_id)
            .bind(3, l.union_unit)
            .bind(4, l.employer_name)
            .bind(5, l.title);
        if (l.headcount)
            q.bind(6, *l.headcount);
        else
            q.null(6);
        q.bind(7, l.work_location)
            .bind(8, l.industry)
            .bind(9, l.salary)
            .bind(10, l.gender_requirement);
        q.bind(11, l.education)
            .bind(12, l.contact_name)
            .bind(13, l.contact_phone)
            .bind(14, l.email);
        q.bind(15, l.description)
            .bind(16, l.experience)
            .bind(17, l.deadline.yyyymmdd())
            .bind(18, l.remarks)
            .bind(19, l.collected_at > 0 ? l.collected_at : now_ms())
            .bind(20, l.collected_at);
        if (!q.done()) return false;
    }
    if (same_text) return true;
    if (pk == 0) pk = sqlite3_last_insert_rowid(db_);
    Q add(prepared(db_, *impl_, "INSERT INTO listings_bigram(rowid, grams) VALUES (?1, ?2)"));
    add.bind(1, pk).bind(2, listing_grams({l.title, l.description, l.employer_name}));
    return add.done();
}

bool Store::unindex_listing(int64_t pk, std::string_view title, std::string_view description,
                            std::string_view employer_name) {
    Q del(prepared(
        db_, *impl_,
        "INSERT INTO listings_bigram(listings_bigram, rowid, grams) VALUES ('delete', ?1, ?2)"));
    del.bind(1, pk).bind(2, listing_grams({title, description, employer_name}));
    return del.done();
}

namespace {
bool delete_by_id(sqlite3* db, Store::Impl& impl, const char* sql, std::string_view id) {
    Q q(prepared(db, impl, sql));
    q.bind(1, id);
    return q.done();
}
} // namespace

bool Store::delete_listing(std::string_view id) {
    if (!id_ok(id)) return fail("err.store.id_missing");
    TxOps tx{db_, *impl_};
    if (!tx.begin()) return fail("err.store.db");
    auto abort = [&] {
        fail("err.store.db");
        tx.rollback();
        return false;
    };
    {
        Q old(prepared(db_, *impl_,
                       "SELECT pk, title, description, employer_name FROM listings WHERE id = ?1"));
        old.bind(1, id);
        bool has_row = false;
        if (!old.step(has_row)) return abort();
        if (!has_row) return tx.commit() || fail("err.store.db");
        if (!unindex_listing(old.i64(0), old.text(1), old.text(2), old.text(3))) return abort();
    }
    if (!delete_by_id(db_, *impl_, "DELETE FROM listings WHERE id = ?1", id)) return abort();
    return tx.commit() || fail("err.store.db");
}
bool Store::delete_campaign(std::string_view id) {
    if (!id_ok(id)) return fail("err.store.id_missing");
    return delete_by_id(db_, *impl_, "DELETE FROM campaigns WHERE id = ?1", id) ||
           fail("err.store.db");
}
bool Store::delete_fair(std::string_view id) {
    if (!id_ok(id)) return fail("err.store.id_missing");
    return delete_by_id(db_, *impl_, "DELETE FROM fairs WHERE id = ?1", id) || fail("err.store.db");
}
bool Store::delete_employer(std::string_view id) {
    if (!id_ok(id)) return fail("err.store.id_missing");
    return delete_by_id(db_, *impl_, "DELETE FROM employers WHERE id = ?1", id) ||
           fail("err.store.db");
}
bool Store::delete_attendee(std::string_view id) {
    if (!id_ok(id)) return fail("err.store.id_missing");
    return delete_by_id(db_, *impl_, "DELETE FROM attendees WHERE id = ?1", id) ||
           fail("err.store.db");
}

bool Store::wipe_personal_data(int64_t* destroyed_pending) {
    if (impl_->depth != 0) return fail("err.store.db");
    int64_t acked = acknowledged_seq(), last = last_seq();
    // The append-only triggers guard the log against edits; a wipe removes it whole, so they are
    // dropped and made again inside the same transaction (a failure restores them with the rest).
    bool ok = transaction([&] {
        // Acknowledged up to the last sequence first (while the events still count), so the log
        // goes on from there and nothing reads as waiting.
        return mark_acknowledged(last) &&
               exec(db_, "DROP TRIGGER IF EXISTS events_append_only_delete;"
                         "DELETE FROM check_in_undos; DELETE FROM intents; DELETE FROM services; "
                         "DELETE FROM needs; "
                         "DELETE FROM check_ins; DELETE FROM placements; "
                         "DELETE FROM registrations; DELETE FROM events; DELETE FROM attendees;"
                         "CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events BEGIN "
                         "SELECT RAISE(ABORT, 'the event log is append-only'); END;");
    });
    if (!ok) {
        detail_ = sqlite3_errmsg(db_);
        return fail("err.store.db");
    }
    if (destroyed_pending) *destroyed_pending = last - acked;
    // secure_delete (on for every connection, see open()) zeroed the freed cells; VACUUM rebuilds
    // the file from live rows only, and the checkpoint folds the WAL in and truncates it.
    if (!exec(db_, "VACUUM") || pragma_text(db_, "PRAGMA wal_checkpoint(TRUNCATE)").empty()) {
        detail_ = sqlite3_errmsg(db_);
        return fail("err.store.db");
    }
    return true;
}

bool Store::upsert_attendee(const Attendee& a) {
    if (!id_ok(a.id)) return fail("err.store.id_missing");
    if (trim(a.name).empty()) return fail("err.store.name_missing");
    if (!text_ok(a.name, kShortText) || !text_ok(a.union_unit) ||
        !text_ok(a.campaign_id, kShortText))
        return fail("err.store.text");
    if (!code(a.gender)[0] || a.key_groups > kAllKeyGroups)
        return fail("err.store.attendee_groups");
    if (!masked_ok(a.phone_masked) || !masked_ok(a.id_masked))
        return fail("err.store.attendee_unmasked");
    // The retired look-up hashes are never kept: with the masks beside them they would be an
    // offline oracle for the full numbers (docs/privacy.md).
    if (!a.phone_hash.empty() || !a.phone_tail_hash.empty() || !a.id_tail_hash.empty())
        return fail("err.store.attendee_hash");
    if (!sealed_ok(a.sealed_phone) || !sealed_ok(a.sealed_id))
        return fail("err.store.attendee_sealed");
    if (!initials_ok(a.name_initials)) return fail("err.store.attendee_initials");
    Q q(prepared(
        db_, *impl_,
        "INSERT INTO attendees(id, name, gender, key_groups, phone_masked, id_masked, "
        "phone_hash, phone_tail_hash, id_tail_hash, sealed_phone, sealed_id, name_initials, "
        "union_unit, campaign_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "?12, ?13, ?14) ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
        "gender = excluded.gender, key_groups = excluded.key_groups, "
        "phone_masked = excluded.phone_masked, id_masked = excluded.id_masked, "
        "phone_hash = excluded.phone_hash, phone_tail_hash = excluded.phone_tail_hash, "
        "id_tail_hash = excluded.id_tail_hash, sealed_phone = excluded.sealed_phone, "
        "sealed_id = excluded.sealed_id, name_initials = excluded.name_initials, "
        "union_unit = excluded.union_unit, campaign_id = excluded.campaign_id"));
    q.bind(1, a.id)
        .bind(2, a.name)
        .bind(3, code(a.gender))
        .bind(4, static_cast<int64_t>(a.key_groups));
    q.bind(5, a.phone_masked).bind(6, a.id_masked).bind(7, "").bind(8, "");
    q.bind(9, "").bind(10, a.sealed_phone).bind(11, a.sealed_id).bind(12, a.name_initials);
    q.bind(13, a.union_unit).bind(14, a.campaign_id);
    return q.done() || fail("err.store.db");
}

bool Store::add_revocation(std::string_view credential_id, std::string_view reason) {
    if (!id_ok(credential_id)) return fail("err.store.id_missing");
    if (!text_ok(reason)) return fail("err.store.text");
    Q q(prepared(db_, *impl_,
                 "INSERT INTO revocations(credential_id, reason, added_at) VALUES (?1, ?2, ?3) "
                 "ON CONFLICT(credential_id) DO UPDATE SET reason = excluded.reason"));
    q.bind(1, credential_id).bind(2, reason).bind(3, now_ms());
    return q.done() || fail("err.store.db");
}

bool Store::is_revoked(std::string_view credential_id) const {
    Q q(prepared(db_, *impl_, "SELECT 1 FROM revocations WHERE credential_id = ?1"));
    q.bind(1, credential_id);
    return q.row();
}

bool Store::upsert_issuer_key(std::string_view key_id, const Bytes& public_key) {
    if (!id_ok(key_id) || key_id.size() > 64) return fail("err.store.id_missing");
    if (public_key.size() != kPublicKeyBytes) return fail("err.store.key_invalid");
    Q q(prepared(db_, *impl_,
                 "INSERT INTO issuer_keys(key_id, public_key, kind, fair_id) "
                 "VALUES (?1, ?2, 'hub', '') ON CONFLICT(key_id) DO UPDATE SET "
                 "public_key = excluded.public_key, kind = 'hub', fair_id = ''"));
    q.bind(1, key_id).bind(2, public_key);
    return q.done() || fail("err.store.db");
}

bool Store::upsert_terminal_key(std::string_view key_id, const Bytes& public_key,
                                std::string_view fair_id) {
    if (!id_ok(key_id) || key_id.size() > 64) return fail("err.store.id_missing");
    if (public_key.size() != kPublicKeyBytes) return fail("err.store.key_invalid");
    // A terminal key without its fair could vouch for nothing: refuse it rather than store it.
    if (!id_ok(fair_id)) return fail("err.store.id_missing");
    Q q(prepared(db_, *impl_,
                 "INSERT INTO issuer_keys(key_id, public_key, kind, fair_id) "
                 "VALUES (?1, ?2, 'terminal', ?3) ON CONFLICT(key_id) DO UPDATE SET "
                 "public_key = excluded.public_key, kind = 'terminal', fair_id = excluded.fair_id"));
    q.bind(1, key_id).bind(2, public_key).bind(3, fair_id);
    return q.done() || fail("err.store.db");
}

bool Store::delete_issuer_key(std::string_view key_id) {
    if (!id_ok(key_id)) return fail("err.store.id_missing");
    return delete_by_id(db_, *impl_, "DELETE FROM issuer_keys WHERE key_id = ?1", key_id) ||
           fail("err.store.db");
}

std::map<std::string, Bytes> Store::issuer_keys() const {
    std::map<std::string, Bytes> out;
    Q q(prepared(db_, *impl_, "SELECT key_id, public_key FROM issuer_keys ORDER BY key_id"));
    while (q.row())
        out.emplace(q.text(0), q.blob(1));
    return out;
}

std::map<std::string, std::string> Store::terminal_key_fairs() const {
    std::map<std::string, std::string> out;
    Q q(prepared(db_, *impl_,
                 "SELECT key_id, fair_id FROM issuer_keys WHERE kind = 'terminal' ORDER BY key_id"));
    while (q.row())
        out.emplace(q.text(0), q.text(1));
    return out;
}

// -- Reading reference data -----------------------------------------------------

namespace {

Campaign campaign_row(const Q& q) {
    return Campaign{q.text(0),         q.text(1),         date_of(q.i64(2)),
                    date_of(q.i64(3)), date_of(q.i64(4)), date_of(q.i64(5))};
}
constexpr const char* kCampaignCols =
    "SELECT id, name, concentrated_from, concentrated_until, year_from, year_until FROM campaigns ";

Fair fair_row(const Q& q) {
    Fair f;
    f.id = q.text(0);
    f.campaign_id = q.text(1);
    f.name = q.text(2);
    f.union_unit = q.text(3);
    f.venue = q.text(4);
    f.date = date_of(q.i64(5));
    f.online = q.i64(6) != 0;
    f.special = q.i64(7) != 0;
    return f;
}
constexpr const char* kFairCols =
    "SELECT id, campaign_id, name, union_unit, venue, date, online, special FROM fairs ";

Employer employer_row(const Q& q) {
    return Employer{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5)};
}
constexpr const char* kEmployerCols =
    "SELECT id, name, credit_code, union_unit, contact_name, contact_phone FROM employers ";

JobListing listing_row(const Q& q) {
    JobListing l;
    l.id = q.text(0);
    l.employer_id = q.text(1);
    l.union_unit = q.text(2);
    l.employer_name = q.text(3);
    l.title = q.text(4);
    if (!q.is_null(5)) l.headcount = static_cast<int>(q.i64(5));
    l.work_location = q.text(6);
    l.industry = q.text(7);
    l.salary = q.text(8);
    l.gender_requirement = q.text(9);
    l.education = q.text(10);
    l.contact_name = q.text(11);
    l.contact_phone = q.text(12);
    l.email = q.text(13);
    l.description = q.text(14);
    l.experience = q.text(15);
    l.deadline = date_of(q.i64(16));
    l.remarks = q.text(17);
    l.collected_at = q.i64(18);
    return l;
}
constexpr const char* kListingCols =
    "SELECT l.id, l.employer_id, l.union_unit, l.employer_name, l.title, l.headcount, "
    "l.work_location, l.industry, l.salary, l.gender_requirement, l.education, l.contact_name, "
    "l.contact_phone, l.email, l.description, l.experience, l.deadline, l.remarks, l.collected_at "
    "FROM listings l ";

Attendee attendee_row(const Q& q) {
    Attendee a;
    a.id = q.text(0);
    a.name = q.text(1);
    a.gender = parse_code<Gender>(q.text(2)).value_or(Gender::Unknown);
    a.key_groups = static_cast<uint32_t>(q.i64(3));
    a.phone_masked = q.text(4);
    a.id_masked = q.text(5);
    a.phone_hash = q.text(6);
    a.phone_tail_hash = q.text(7);
    a.id_tail_hash = q.text(8);
    a.sealed_phone = q.text(9);
    a.sealed_id = q.text(10);
    a.name_initials = q.text(11);
    a.union_unit = q.text(12);
    a.campaign_id = q.text(13);
    return a;
}
constexpr const char* kAttendeeCols =
    "SELECT id, name, gender, key_groups, phone_masked, id_masked, phone_hash, phone_tail_hash, "
    "id_tail_hash, sealed_phone, sealed_id, name_initials, union_unit, campaign_id FROM attendees ";

} // namespace

bool Store::upsert_notice(const StationNotice& n) {
    if (auto c = check_notice(n); !c) return fail("err.store.text");
    if (!text_ok(n.union_unit)) return fail("err.store.text");
    Q q(prepared(db_, *impl_,
                 "INSERT INTO notices(id, union_unit, text, starts_at, ends_at, fair_ids, "
                 "terminal_ids) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET "
                 "union_unit = excluded.union_unit, text = excluded.text, "
                 "starts_at = excluded.starts_at, ends_at = excluded.ends_at, "
                 "fair_ids = excluded.fair_ids, terminal_ids = excluded.terminal_ids"));
    q.bind(1, n.id).bind(2, n.union_unit).bind(3, n.text).bind(4, n.starts_at);
    q.bind(5, n.ends_at).bind(6, join_ids(n.fair_ids)).bind(7, join_ids(n.terminal_ids));
    return q.done() || fail("err.store.db");
}

bool Store::delete_notice(std::string_view id) {
    if (!id_ok(id)) return fail("err.store.id_missing");
    return delete_by_id(db_, *impl_, "DELETE FROM notices WHERE id = ?1", id) ||
           fail("err.store.db");
}

namespace {
constexpr const char* kNoticeCols =
    "SELECT id, union_unit, text, starts_at, ends_at, fair_ids, terminal_ids FROM notices ";
StationNotice notice_row(const Q& q) {
    StationNotice n;
    n.id = q.text(0);
    n.union_unit = q.text(1);
    n.text = q.text(2);
    n.starts_at = q.i64(3);
    n.ends_at = q.i64(4);
    n.fair_ids = split_ids(q.text(5));
    n.terminal_ids = split_ids(q.text(6));
    return n;
}
} // namespace

std::vector<StationNotice> Store::notices() const {
    std::vector<StationNotice> out;
    Q q(prepared(db_, *impl_, std::string(kNoticeCols) + "ORDER BY starts_at, id"));
    while (q.row())
        out.push_back(notice_row(q));
    return out;
}

std::vector<StationNotice> Store::current_notices(std::string_view fair_id,
                                                  std::string_view terminal_id, TimeMs now) const {
    std::vector<StationNotice> out;
    Q q(prepared(db_, *impl_,
                 std::string(kNoticeCols) +
                     "WHERE ends_at > ?1 AND starts_at <= ?1 ORDER BY starts_at, id"));
    q.bind(1, now);
    while (q.row()) {
        auto n = notice_row(q);
        if (n.shown_at(fair_id, terminal_id, now)) out.push_back(std::move(n));
    }
    return out;
}

std::vector<Campaign> Store::campaigns() const {
    std::vector<Campaign> out;
    Q q(prepared(db_, *impl_, std::string(kCampaignCols) + "ORDER BY concentrated_from, id"));
    while (q.row())
        out.push_back(campaign_row(q));
    return out;
}

std::optional<Campaign> Store::campaign(std::string_view id) const {
    Q q(prepared(db_, *impl_, std::string(kCampaignCols) + "WHERE id = ?1"));
    q.bind(1, id);
    if (!q.row()) return std::nullopt;
    return campaign_row(q);
}

std::vector<Fair> Store::fairs() const {
    std::vector<Fair> out;
    Q q(prepared(db_, *impl_, std::string(kFairCols) + "ORDER BY date, id"));
    while (q.row())
        out.push_back(fair_row(q));
    return out;
}

std::optional<Fair> Store::fair(std::string_view id) const {
    Q q(prepared(db_, *impl_, std::string(kFairCols) + "WHERE id = ?1"));
    q.bind(1, id);
    if (!q.row()) return std::nullopt;
    return fair_row(q);
}

std::vector<Employer> Store::employers() const {
    std::vector<Employer> out;
    Q q(prepared(db_, *impl_, std::string(kEmployerCols) + "ORDER BY name, id"));
    while (q.row())
        out.push_back(employer_row(q));
    return out;
}

std::optional<Employer> Store::employer(std::string_view id) const {
    Q q(prepared(db_, *impl_, std::string(kEmployerCols) + "WHERE id = ?1"));
    q.bind(1, id);
    if (!q.row()) return std::nullopt;
    return employer_row(q);
}

std::optional<JobListing> Store::listing(std::string_view id) const {
    Q q(prepared(db_, *impl_, std::string(kListingCols) + "WHERE l.id = ?1"));
    q.bind(1, id);
    if (!q.row()) return std::nullopt;
    return listing_row(q);
}

std::vector<JobListing> Store::listings(const std::vector<std::string>& ids) const {
    std::vector<JobListing> out;
    // One read transaction for all of them (unless the caller's is open): a statement outside a
    // transaction starts and ends its own, taking the WAL's read lock anew each time.
    bool own = impl_->depth == 0 && sqlite3_get_autocommit(db_);
    if (own) {
        Q begin(prepared(db_, *impl_, "BEGIN"));
        if (!begin.done()) return out;
    }
    for (auto& id : ids) {
        Q q(prepared(db_, *impl_, std::string(kListingCols) + "WHERE l.id = ?1"));
        q.bind(1, id);
        if (q.row()) out.push_back(listing_row(q));
    }
    if (own) {
        Q end(prepared(db_, *impl_, "COMMIT"));
        end.done();
    }
    return out;
}

std::optional<Attendee> Store::attendee(std::string_view id) const {
    Q q(prepared(db_, *impl_, std::string(kAttendeeCols) + "WHERE id = ?1"));
    q.bind(1, id);
    if (!q.row()) return std::nullopt;
    return attendee_row(q);
}

int64_t Store::count_attendees() const {
    Q q(prepared(db_, *impl_, "SELECT count(*) FROM attendees"));
    return q.row() ? q.i64(0) : 0;
}

std::vector<Attendee> Store::find_attendees(const PersonQuery& pq, int limit) const {
    std::vector<Attendee> out;
    // Every criterion given must match; with none there is nothing to look up. Each matches an
    // index of schema v5 (the expressions are written exactly as in the index).
    std::string where;
    std::vector<std::string_view> args;
    auto add = [&](const char* clause, std::string_view v) {
        if (v.empty()) return;
        args.push_back(v);
        std::string n = std::to_string(args.size());
        std::string c = clause;
        for (size_t at; (at = c.find('#')) != std::string::npos;)
            c.replace(at, 1, n);
        where += (where.empty() ? "WHERE " : " AND ") + c;
    };
    add("phone_masked = ?#", pq.phone_masked);
    add("substr(phone_masked, -4) = ?#", pq.phone_tail);
    add("substr(id_masked, -4) = ?#", pq.id_tail);
    add("substr(name_initials, 1, length(?#)) = ?#", pq.initials);
    if (args.empty()) return out;
    Q q(prepared(db_, *impl_,
                 std::string(kAttendeeCols) + where + " ORDER BY name, id LIMIT ?" +
                     std::to_string(args.size() + 1)));
    for (size_t i = 0; i < args.size(); ++i)
        q.bind(static_cast<int>(i + 1), args[i]);
    q.bind(static_cast<int>(args.size() + 1), std::clamp(limit, 1, 500));
    while (q.row())
        out.push_back(attendee_row(q));
    return out;
}

// -----------------------------------------------------------------------------
// Listing search
// -----------------------------------------------------------------------------

namespace {

// The WHERE clause and its arguments for a query. Terms are split on spaces (ASCII and the
// ideographic U+3000); each must occur in the title, description or employer name.
struct ListingFilter {
    std::string where;
    std::vector<std::variant<std::string, int64_t>> args;
};

ListingFilter listing_filter(const ListingQuery& q) {
    ListingFilter f;
    auto arg = [&](std::variant<std::string, int64_t> v) {
        f.args.push_back(std::move(v));
        return "?" + std::to_string(f.args.size());
    };
    // A forgotten `today` must not show expired listings: fall back to the current date in China.
    Date today = q.today.valid() ? q.today : cst_date(now_ms());
    std::string text = q.text;
    for (size_t p; (p = text.find("\xE3\x80\x80")) != std::string::npos;)
        text.replace(p, 3, " ");
    std::vector<std::string> terms;
    for (size_t i = 0; i < text.size() && terms.size() < 8;) {
        size_t j = text.find_first_of(" \t\r\n", i);
        if (j == std::string::npos) j = text.size();
        size_t n = std::min<size_t>(j - i, 200);
        while (n > 0 && i + n < text.size() &&
               (static_cast<unsigned char>(text[i + n]) & 0xc0) == 0x80)
            --n;
        if (n > 0) terms.push_back(text.substr(i, n));
        i = j + 1;
    }

    // One bigram index answers every term: each pair of neighbouring indexable characters in the
    // term is a token of the listing's grams, and a single character between separators is a
    // prefix token ("焊" *). The index only narrows the rows; a substring test on those rows keeps
    // the answer exact (the index holds no positions). Every other pair is enough to narrow (the
    // test checks the rest), at most 16 tokens for the whole query.
    std::string match, text_where;
    bool scan = false;
    int tokens = 0;
    auto token = [&](std::string_view gram, bool prefix) {
        if (tokens >= 16) return;
        ++tokens;
        match += (match.empty() ? "\"" : " AND \"") + std::string(gram) + (prefix ? "\" *" : "\"");
    };
    for (auto& t : terms) {
        auto cps = code_points_of(t);
        bool indexed = false;
        for (size_t i = 0; i < cps.size();) {
            if (!indexable(cps[i].first)) {
                ++i;
                continue;
            }
            size_t j = i;
            while (j < cps.size() && indexable(cps[j].first))
                ++j;
            indexed = true;
            auto span = [&](size_t a) {
                return std::string_view(cps[a].second.data(),
                                        static_cast<size_t>(cps[a + 1].second.data() +
                                                            cps[a + 1].second.size() -
                                                            cps[a].second.data()));
            };
            if (j - i == 1) token(cps[i].second, true);
            for (size_t k = i; k + 1 < j; k += 2)
                token(span(k), false);
            if (j - i >= 3 && (j - i) % 2 == 1) token(span(j - 2), false);
            i = j;
        }
        if (!indexed) scan = true;
        // lower() folds ASCII letters only: a term without them matches the text as it is, with
        // no lowered copy of every description the index leaves.
        bool letters = std::any_of(t.begin(), t.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        });
        std::string p = arg(t);
        auto has = [&](const char* column) {
            return letters ? "instr(lower(" + std::string(column) + "), lower(" + p + ")) > 0"
                           : "instr(" + std::string(column) + ", " + p + ") > 0";
        };
        text_where += " AND (" + has("l.title") + " OR " + has("l.description") + " OR " +
                      has("l.employer_name") + ")";
    }
    if (!match.empty())
        text_where += " AND l.pk IN (SELECT rowid FROM listings_bigram WHERE listings_bigram "
                      "MATCH " +
                      arg(match) + ")";
    // A substring scan reads every row anyway: reading them in table order beats the deadline
    // index.
    f.where = std::string("WHERE ") + (scan && match.empty() ? "+" : "") +
              "l.deadline >= " + arg(int64_t{today.yyyymmdd()});
    if (!q.industry.empty()) f.where += " AND l.industry = " + arg(q.industry);
    if (!q.location.empty()) f.where += " AND l.work_location = " + arg(q.location);
    if (!q.employer_id.empty()) f.where += " AND l.employer_id = " + arg(q.employer_id);
    f.where += text_where;
    return f;
}

void bind_all(Q& q, const ListingFilter& f) {
    for (size_t i = 0; i < f.args.size(); ++i) {
        if (auto s = std::get_if<std::string>(&f.args[i]))
            q.bind(static_cast<int>(i + 1), *s);
        else
            q.bind(static_cast<int>(i + 1), std::get<int64_t>(f.args[i]));
    }
}

} // namespace

std::vector<JobListing> Store::search_listings(const ListingQuery& query) const {
    std::vector<JobListing> out;
    if (!text_ok(query.text, 4000) || !text_ok(query.industry) || !text_ok(query.location) ||
        !text_ok(query.employer_id)) {
        fail("err.store.text");
        return out;
    }
    ListingFilter f = listing_filter(query);
    size_t n = f.args.size();
    Q q(prepared_search(db_, *impl_,
                        std::string(kListingCols) + f.where + " ORDER BY l.pk LIMIT ?" +
                            std::to_string(n + 1) + " OFFSET ?" + std::to_string(n + 2)));
    if (!q.ok()) {
        fail("err.store.db");
        return out;
    }
    bind_all(q, f);
    q.bind(static_cast<int>(n + 1), std::clamp(query.limit, 1, 1000));
    q.bind(static_cast<int>(n + 2), std::max(query.offset, 0));
    while (q.row())
        out.push_back(listing_row(q));
    return out;
}

std::string Store::file() const {
    const char* f = sqlite3_db_filename(db_, "main");
    return f ? f : "";
}

int64_t Store::listing_rows_at_most() const {
    Q q(prepared(db_, *impl_, "SELECT coalesce(max(rowid), 0) FROM listings"));
    return q.row() ? q.i64(0) : 0;
}

int64_t Store::count_listings(const ListingQuery& query) const {
    if (!text_ok(query.text, 4000) || !text_ok(query.industry) || !text_ok(query.location) ||
        !text_ok(query.employer_id))
        return fail("err.store.text"), 0;
    ListingFilter f = listing_filter(query);
    Q q(prepared_search(db_, *impl_, "SELECT count(*) FROM listings l " + f.where));
    bind_all(q, f);
    return q.row() ? q.i64(0) : 0;
}

namespace {

// The distinct non-empty values of `column` among listings open on ?1, in order. The walk jumps
// from one value to the next through the (column, deadline) index and asks that index whether
// the value has an open listing: a few look-ups per value, however many listings share it.
std::string distinct_open(const char* column) {
    std::string c = column;
    return "WITH RECURSIVE v(x) AS (SELECT min(" + c + ") FROM listings WHERE " + c +
           " > '' UNION ALL SELECT (SELECT min(" + c + ") FROM listings WHERE " + c +
           " > v.x) FROM v WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL AND "
           "EXISTS(SELECT 1 FROM listings WHERE " +
           c + " = v.x AND deadline >= ?1)";
}

} // namespace

std::vector<std::string> Store::industries(Date today) const {
    std::vector<std::string> out;
    if (!today.valid()) today = cst_date(now_ms());
    Q q(prepared(db_, *impl_, distinct_open("industry")));
    q.bind(1, today.yyyymmdd());
    while (q.row())
        out.push_back(q.text(0));
    return out;
}

std::vector<std::string> Store::locations(Date today) const {
    std::vector<std::string> out;
    if (!today.valid()) today = cst_date(now_ms());
    Q q(prepared(db_, *impl_, distinct_open("work_location")));
    q.bind(1, today.yyyymmdd());
    while (q.row())
        out.push_back(q.text(0));
    return out;
}

// -----------------------------------------------------------------------------
// Event log
// -----------------------------------------------------------------------------

std::string signature_domain(std::string_view kind) {
    if (kind == "checkin") return "jf.checkin.v1";
    if (kind == "placement") return "jf.placement.v1";
    if (kind == "registration") return "jf.registration.v1";
    if (kind == "intent") return "jf.intent.v1";
    if (kind == "checkin_undo") return "jf.checkin_undo.v1";
    if (kind == "service") return "jf.service.v1";
    if (kind == "needs") return "jf.needs.v1";
    return "jf.unknown.v1";
}

namespace {

// Assigns the header, encodes, signs and appends one event. Must run inside a transaction.
template <class Record>
bool append_event(sqlite3* db, Store::Impl& impl, const char* kind, Record& r,
                  const EventSigner& signer, std::string& error) {
    int64_t seq;
    {
        Q q(prepared(db, impl,
                     "SELECT max(coalesce((SELECT max(seq) FROM events), 0), "
                     "(SELECT acknowledged_seq FROM outbox WHERE id = 1)) + 1"));
        if (!q.row()) return error = "err.store.db", false;
        seq = q.i64(0);
    }
    r.h.seq = seq;
    r.h.uuid = new_uuid();
    r.h.terminal_id = signer.terminal_id;
    if (r.h.device_time == 0) r.h.device_time = now_ms();
    if constexpr (std::is_same_v<Record, Placement>)
        if (r.action == PlacementAction::Original) r.placement_id = r.h.uuid;
    std::string body = encode(r);
    Bytes sig;
    try {
        sig = signer.sign(signature_domain(kind), to_bytes(body));
    } catch (...) {
        sig.clear();
    }
    if (sig.size() != kSignatureBytes) return error = "err.event.signer", false;
    Q q(prepared(db, impl,
                 "INSERT INTO events(seq, uuid, terminal_id, kind, device_time, body, signature) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    q.bind(1, seq)
        .bind(2, r.h.uuid)
        .bind(3, r.h.terminal_id)
        .bind(4, kind)
        .bind(5, r.h.device_time);
    q.bind(6, to_bytes(body)).bind(7, sig);
    if (!q.done()) return error = "err.store.db", false;
    return true;
}

// A fair-day event (intent, undo, service, needs): appended to the log, then its projection row
// (`sql`: ?1 the event's seq, ?2 its uuid, the rest bound by `bind`). Returns "" or the message
// key of what failed, with SQLite's own words still in sqlite3_errmsg() for Store::fail, which
// the caller calls before it rolls back. Must run inside a transaction.
template <class Record, class Bind>
std::string append_projected(sqlite3* db, Store::Impl& impl, const char* kind, Record& d,
                             const EventSigner& signer, const char* sql, Bind bind) {
    std::string err;
    if (!append_event(db, impl, kind, d, signer, err)) return err;
    Q q(prepared(db, impl, sql));
    q.bind(1, d.h.seq).bind(2, d.h.uuid);
    bind(q);
    return q.done() ? std::string() : std::string("err.store.db");
}

bool signer_ok(const EventSigner& s) {
    return s.sign && id_ok(s.terminal_id);
}

} // namespace

CheckInOutcome Store::record_check_in(CheckIn d, const EventSigner& signer) {
    CheckInOutcome out;
    auto refuse = [&](const char* key) {
        fail(key);
        out.error = error_; // refined: damaged, full, read-only
        return out;
    };
    if (!signer_ok(signer)) return refuse("err.event.signer");
    if (trim(d.fair_id).empty()) return refuse("err.checkin.fair_missing");
    if (!text_ok(d.fair_id, kShortText) || !text_ok(d.attendee_id, kShortText) ||
        !text_ok(d.credential_id, kShortText))
        return refuse("err.store.text");
    if (!code(d.method)[0] || !code(d.verdict)[0]) return refuse("err.checkin.verdict");
    // The store decides "already checked in"; a caller asks by recording CheckedIn.
    if (d.verdict == Verdict::AlreadyCheckedIn) return refuse("err.checkin.verdict");
    bool accepted = d.verdict == Verdict::CheckedIn;
    if (accepted && trim(d.attendee_id).empty()) return refuse("err.checkin.attendee_missing");
    if (d.h.device_time < 0) return refuse("err.checkin.time");

    TxOps tx{db_, *impl_};
    if (!tx.begin()) return refuse("err.store.db");
    if (accepted) {
        if (auto first = accepted_check_in(d.attendee_id, d.fair_id)) {
            tx.rollback();
            out.ok = true;
            out.duplicate = true;
            out.record = *first;
            return out;
        }
    }
    std::string err;
    if (!append_event(db_, *impl_, "checkin", d, signer, err)) {
        detail_ = sqlite3_errmsg(db_);
        tx.rollback();
        return refuse(err.c_str());
    }
    {
        Q q(prepared(db_, *impl_,
                     "INSERT INTO check_ins(seq, uuid, attendee_id, fair_id, verdict, device_time) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
        q.bind(1, d.h.seq).bind(2, d.h.uuid).bind(3, d.attendee_id).bind(4, d.fair_id);
        q.bind(5, code(d.verdict)).bind(6, d.h.device_time);
        if (!q.done()) {
            fail("err.store.db");
            tx.rollback();
            out.error = error_;
            return out;
        }
    }
    if (!tx.commit()) return refuse("err.store.db");
    out.ok = true;
    out.record = std::move(d);
    return out;
}

std::optional<CheckIn> Store::accepted_check_in(std::string_view attendee_id,
                                                std::string_view fair_id) const {
    Q q(prepared(db_, *impl_,
                 "SELECT e.body FROM check_ins c JOIN events e ON e.seq = c.seq WHERE "
                 "c.attendee_id = ?1 AND c.fair_id = ?2 AND c.verdict = 'checked_in' AND "
                 "c.undone = 0"));
    q.bind(1, attendee_id).bind(2, fair_id);
    if (!q.row()) return std::nullopt;
    Bytes b = q.blob(0);
    return decode_check_in(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
}

std::vector<CheckIn> Store::check_ins(std::string_view fair_id) const {
    std::vector<CheckIn> out;
    Q q(prepared(
        db_, *impl_,
        "SELECT e.body FROM check_ins c JOIN events e ON e.seq = c.seq WHERE c.fair_id = ?1 "
        "ORDER BY c.seq"));
    q.bind(1, fair_id);
    while (q.row()) {
        Bytes b = q.blob(0);
        if (auto c = decode_check_in(
                std::string_view(reinterpret_cast<const char*>(b.data()), b.size())))
            out.push_back(std::move(*c));
    }
    return out;
}

// -- Placements ------------------------------------------------------------------

namespace {

const char* placement_problem(const Placement& p) {
    for (std::string_view s : {std::string_view(p.attendee_id), std::string_view(p.fair_id),
                               std::string_view(p.employer_id), std::string_view(p.listing_id),
                               std::string_view(p.person_name), std::string_view(p.corrects)})
        if (!text_ok(s, kShortText)) return "err.store.text";
    for (std::string_view s :
         {std::string_view(p.reason), std::string_view(p.work_place),
          std::string_view(p.employer_name), std::string_view(p.prev_year_work_place)})
        if (!text_ok(s)) return "err.store.text";
    if (!code(p.action)[0] || !code(p.employment_form)[0] || !code(p.contract_form)[0] ||
        !code(p.participation)[0])
        return "err.placement.field";
    if (trim(p.fair_id).empty()) return "err.placement.fair_missing";
    if (trim(p.person_name).empty()) return "err.placement.person_missing";
    if (trim(p.employer_name).empty()) return "err.placement.employer_missing";
    if (!masked_ok(p.id_masked) || !masked_ok(p.phone_masked)) return "err.store.attendee_unmasked";
    if (!p.start_date.valid()) return "err.placement.start_date";
    if (!p.signed_date.valid()) return "err.placement.signed_date";
    if (p.key_groups > kAllKeyGroups) return "err.store.attendee_groups";
    if (!strokes_ok(p.seeker_signature) || !strokes_ok(p.employer_signature))
        return "err.placement.signature";
    if (p.action == PlacementAction::Original) {
        if (!p.corrects.empty()) return "err.placement.corrects";
        if (p.seeker_signature.empty() || p.employer_signature.empty())
            return "err.placement.unsigned";
    } else {
        if (p.corrects.empty()) return "err.placement.corrects";
        if (trim(p.reason).empty()) return "err.placement.reason_missing";
    }
    return nullptr;
}

std::optional<Placement> decode_blob(const Bytes& b) {
    return decode_placement(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
}

} // namespace

std::optional<Placement> Store::record_placement(Placement d, const EventSigner& signer) {
    if (!signer_ok(signer)) return fail("err.event.signer"), std::nullopt;
    if (d.h.device_time < 0) return fail("err.checkin.time"), std::nullopt;
    if (!code(d.action)[0]) return fail("err.placement.field"), std::nullopt;
    if (d.action != PlacementAction::Original && d.corrects.empty())
        return fail("err.placement.corrects"), std::nullopt;
    if (!text_ok(d.corrects, kShortText)) return fail("err.store.text"), std::nullopt;

    TxOps tx{db_, *impl_};
    if (!tx.begin()) return fail("err.store.db"), std::nullopt;
    auto refuse = [&](const char* key) -> std::optional<Placement> {
        fail(key);
        tx.rollback();
        return std::nullopt;
    };
    if (d.action != PlacementAction::Original) {
        std::optional<Placement> prev;
        {
            Q q(prepared(db_, *impl_,
                         "SELECT e.body FROM placements p JOIN events e ON e.seq = p.seq "
                         "WHERE p.uuid = ?1"));
            q.bind(1, d.corrects);
            if (q.row()) prev = decode_blob(q.blob(0));
        }
        if (!prev) return refuse("err.placement.corrects_unknown");
        {
            Q q(prepared(db_, *impl_, "SELECT 1 FROM placements WHERE corrects = ?1"));
            q.bind(1, d.corrects);
            if (q.row()) return refuse("err.placement.stale");
        }
        if (prev->action == PlacementAction::Void) return refuse("err.placement.voided");
        if (d.fair_id.empty()) d.fair_id = prev->fair_id;
        if (d.fair_id != prev->fair_id) return refuse("err.placement.fair_changed");
        d.placement_id = prev->placement_id;
        if (d.action == PlacementAction::Void) {
            // A void changes only the status: it carries the voided row so reports can show it.
            Placement v = *prev;
            v.h = d.h;
            v.action = PlacementAction::Void;
            v.corrects = d.corrects;
            v.reason = d.reason;
            v.seeker_signature = {};
            v.employer_signature = {};
            d = std::move(v);
        }
    } else {
        d.placement_id.clear();
    }
    if (const char* problem = placement_problem(d)) return refuse(problem);
    std::string err;
    if (!append_event(db_, *impl_, "placement", d, signer, err)) {
        std::string detail = sqlite3_errmsg(db_);
        refuse(err.c_str());
        detail_ = detail;
        return std::nullopt;
    }
    {
        Q q(prepared(db_, *impl_,
                     "INSERT INTO placements(seq, uuid, placement_id, action, corrects, fair_id) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
        q.bind(1, d.h.seq).bind(2, d.h.uuid).bind(3, d.placement_id).bind(4, code(d.action));
        if (d.corrects.empty())
            q.null(5);
        else
            q.bind(5, d.corrects);
        q.bind(6, d.fair_id);
        if (!q.done()) return refuse("err.store.db");
    }
    if (!tx.commit()) return fail("err.store.db"), std::nullopt;
    return d;
}

std::optional<Registration> Store::record_registration(Registration d,
                                                      const EventSigner& signer) {
    const Attendee& a = d.attendee;
    if (!signer_ok(signer)) return fail("err.event.signer"), std::nullopt;
    if (d.h.device_time < 0) return fail("err.checkin.time"), std::nullopt;
    if (!d.consent) return fail("err.registration.consent"), std::nullopt;
    if (!id_ok(a.id) || !id_ok(d.fair_id) || !id_ok(d.credential_id))
        return fail("err.store.id_missing"), std::nullopt;
    // What the log carries leaves the terminal: masks and sealed boxes only. A look-up hash
    // would make the signed, kept log an offline oracle for the full numbers.
    if (!masked_ok(a.phone_masked) || !masked_ok(a.id_masked))
        return fail("err.store.attendee_unmasked"), std::nullopt;
    if (!a.phone_hash.empty() || !a.phone_tail_hash.empty() || !a.id_tail_hash.empty())
        return fail("err.store.attendee_hash"), std::nullopt;
    if (!sealed_ok(a.sealed_phone) || !sealed_ok(a.sealed_id))
        return fail("err.store.attendee_sealed"), std::nullopt;

    TxOps tx{db_, *impl_};
    if (!tx.begin()) return fail("err.store.db"), std::nullopt;
    auto refuse = [&](const char* key) -> std::optional<Registration> {
        fail(key);
        tx.rollback();
        return std::nullopt;
    };
    {
        Q q(prepared(db_, *impl_, "SELECT 1 FROM attendees WHERE id = ?1"));
        q.bind(1, a.id);
        if (!q.row()) return refuse("err.registration.attendee_missing");
    }
    {
        Q q(prepared(db_, *impl_, "SELECT 1 FROM registrations WHERE attendee_id = ?1"));
        q.bind(1, a.id);
        if (q.row()) return refuse("err.registration.twice");
    }
    std::string err;
    if (!append_event(db_, *impl_, "registration", d, signer, err)) {
        std::string detail = sqlite3_errmsg(db_);
        refuse(err.c_str());
        detail_ = detail;
        return std::nullopt;
    }
    {
        Q q(prepared(db_, *impl_,
                     "INSERT INTO registrations(seq, uuid, attendee_id, credential_id) "
                     "VALUES (?1, ?2, ?3, ?4)"));
        q.bind(1, d.h.seq).bind(2, d.h.uuid).bind(3, a.id).bind(4, d.credential_id);
        if (!q.done()) return refuse("err.store.db");
    }
    if (!tx.commit()) return fail("err.store.db"), std::nullopt;
    return d;
}

std::vector<Placement> Store::placement_versions(std::string_view placement_id) const {
    std::vector<Placement> out;
    std::string sql = "SELECT e.body FROM placements p JOIN events e ON e.seq = p.seq ";
    if (!placement_id.empty()) sql += "WHERE p.placement_id = ?1 ";
    Q q(prepared(db_, *impl_, sql + "ORDER BY p.seq"));
    if (!placement_id.empty()) q.bind(1, placement_id);
    while (q.row())
        if (auto p = decode_blob(q.blob(0))) out.push_back(std::move(*p));
    return out;
}

std::vector<Placement> Store::current_placements(std::string_view fair_id) const {
    std::vector<Placement> out;
    // The head of each chain: the version nothing corrects, in the order placements were made.
    std::string sql = "SELECT e.body FROM placements p JOIN events e ON e.seq = p.seq "
                      "WHERE NOT EXISTS (SELECT 1 FROM placements s WHERE s.corrects = p.uuid) ";
    if (!fair_id.empty()) sql += "AND p.fair_id = ?1 ";
    sql += "ORDER BY (SELECT min(o.seq) FROM placements o WHERE o.placement_id = p.placement_id)";
    Q q(prepared(db_, *impl_, sql));
    if (!fair_id.empty()) q.bind(1, fair_id);
    while (q.row())
        if (auto p = decode_blob(q.blob(0))) out.push_back(std::move(*p));
    return out;
}

// -- The fair day ------------------------------------------------------------------

namespace {

std::string_view blob_text(const Bytes& b) {
    return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

} // namespace

std::optional<BoothIntent> Store::record_intent(BoothIntent d, const EventSigner& signer) {
    if (!signer_ok(signer)) return fail("err.event.signer"), std::nullopt;
    if (d.h.device_time < 0) return fail("err.checkin.time"), std::nullopt;
    if (!id_ok(d.attendee_id) || !id_ok(d.fair_id) || !id_ok(d.employer_id))
        return fail("err.store.id_missing"), std::nullopt;
    if (!text_ok(d.listing_id, kShortText)) return fail("err.store.text"), std::nullopt;
    if (!code(d.level)[0] || !intent_note_ok(d.note)) return fail("err.intent.field"), std::nullopt;
    TxOps tx{db_, *impl_};
    if (!tx.begin()) return fail("err.store.db"), std::nullopt;
    std::optional<BoothIntent> first;
    {
        Q q(prepared(db_, *impl_,
                     "SELECT e.body FROM intents i JOIN events e ON e.seq = i.seq WHERE "
                     "i.fair_id = ?1 AND i.employer_id = ?2 AND i.attendee_id = ?3 AND "
                     "i.level = ?4 ORDER BY i.seq LIMIT 1"));
        q.bind(1, d.fair_id).bind(2, d.employer_id).bind(3, d.attendee_id).bind(4, code(d.level));
        if (q.row()) first = decode_intent(blob_text(q.blob(0)));
    }
    if (first) {
        tx.rollback();
        return first;
    }
    if (auto key = append_projected(
            db_, *impl_, "intent", d, signer,
            "INSERT INTO intents(seq, uuid, attendee_id, fair_id, employer_id, level) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            [&](Q& q) {
                q.bind(3, d.attendee_id).bind(4, d.fair_id).bind(5, d.employer_id);
                q.bind(6, code(d.level));
            });
        !key.empty()) {
        fail(key);
        tx.rollback();
        return std::nullopt;
    }
    if (!tx.commit()) return fail("err.store.db"), std::nullopt;
    return d;
}

std::optional<CheckInUndo> Store::record_check_in_undo(CheckInUndo d, const EventSigner& signer) {
    if (!signer_ok(signer)) return fail("err.event.signer"), std::nullopt;
    if (d.h.device_time < 0) return fail("err.checkin.time"), std::nullopt;
    if (!id_ok(d.check_in_uuid)) return fail("err.store.id_missing"), std::nullopt;
    if (!undo_reason_ok(d.reason)) return fail("err.undo.reason"), std::nullopt;
    TxOps tx{db_, *impl_};
    if (!tx.begin()) return fail("err.store.db"), std::nullopt;
    auto refuse = [&](const char* key) -> std::optional<CheckInUndo> {
        fail(key);
        tx.rollback();
        return std::nullopt;
    };
    {
        Q q(prepared(
            db_, *impl_,
            "SELECT attendee_id, fair_id, verdict, undone FROM check_ins WHERE uuid = ?1"));
        q.bind(1, d.check_in_uuid);
        if (!q.row()) return refuse("err.undo.unknown");
        if (q.text(2) != code(Verdict::CheckedIn)) return refuse("err.undo.not_accepted");
        if (q.i64(3) != 0) return refuse("err.undo.twice");
        d.attendee_id = q.text(0);
        d.fair_id = q.text(1);
    }
    if (auto key = append_projected(db_, *impl_, "checkin_undo", d, signer,
                                    "INSERT INTO check_in_undos(seq, uuid, check_in_uuid, fair_id) "
                                    "VALUES (?1, ?2, ?3, ?4)",
                                    [&](Q& q) { q.bind(3, d.check_in_uuid).bind(4, d.fair_id); });
        !key.empty())
        return refuse(key.c_str());
    {
        Q q(prepared(db_, *impl_, "UPDATE check_ins SET undone = 1 WHERE uuid = ?1"));
        q.bind(1, d.check_in_uuid);
        if (!q.done()) return refuse("err.store.db");
    }
    if (!tx.commit()) return fail("err.store.db"), std::nullopt;
    return d;
}

std::optional<ServiceGiven> Store::record_service(ServiceGiven d, const EventSigner& signer) {
    if (!signer_ok(signer)) return fail("err.event.signer"), std::nullopt;
    if (d.h.device_time < 0) return fail("err.checkin.time"), std::nullopt;
    if (!id_ok(d.fair_id)) return fail("err.store.id_missing"), std::nullopt;
    if (!text_ok(d.attendee_id, kShortText)) return fail("err.store.text"), std::nullopt;
    if (!code(d.service)[0] || d.key_groups > kAllKeyGroups)
        return fail("err.service.field"), std::nullopt;
    TxOps tx{db_, *impl_};
    if (!tx.begin()) return fail("err.store.db"), std::nullopt;
    if (auto key = append_projected(db_, *impl_, "service", d, signer,
                                    "INSERT INTO services(seq, uuid, fair_id) VALUES (?1, ?2, ?3)",
                                    [&](Q& q) { q.bind(3, d.fair_id); });
        !key.empty()) {
        fail(key);
        tx.rollback();
        return std::nullopt;
    }
    if (!tx.commit()) return fail("err.store.db"), std::nullopt;
    return d;
}

namespace {
// A fair's fair-day records of one kind, decoded from their events' signed bodies in the order
// they were recorded. `sql` selects e.body with ?1 the fair and, when `also` is given, ?2 it.
template <class Decode>
auto fair_day_records(sqlite3* db, Store::Impl& impl, const std::string& sql,
                      std::string_view fair_id, std::string_view also, Decode decode) {
    std::vector<typename decltype(decode(std::string_view{}))::value_type> out;
    Q q(prepared(db, impl, sql));
    q.bind(1, fair_id);
    if (!also.empty()) q.bind(2, also);
    while (q.row())
        if (auto r = decode(blob_text(q.blob(0)))) out.push_back(std::move(*r));
    return out;
}
} // namespace

std::vector<BoothIntent> Store::intents(std::string_view fair_id,
                                        std::string_view employer_id) const {
    std::string sql = "SELECT e.body FROM intents i JOIN events e ON e.seq = i.seq "
                      "WHERE i.fair_id = ?1 ";
    if (!employer_id.empty()) sql += "AND i.employer_id = ?2 ";
    return fair_day_records(db_, *impl_, sql + "ORDER BY i.seq", fair_id, employer_id,
                            decode_intent);
}

std::vector<CheckInUndo> Store::check_in_undos(std::string_view fair_id) const {
    return fair_day_records(db_, *impl_,
                            "SELECT e.body FROM check_in_undos u JOIN events e ON e.seq = u.seq "
                            "WHERE u.fair_id = ?1 ORDER BY u.seq",
                            fair_id, {}, decode_check_in_undo);
}

std::vector<ServiceGiven> Store::services(std::string_view fair_id) const {
    return fair_day_records(db_, *impl_,
                            "SELECT e.body FROM services s JOIN events e ON e.seq = s.seq "
                            "WHERE s.fair_id = ?1 ORDER BY s.seq",
                            fair_id, {}, decode_service);
}

std::optional<SeekerNeeds> Store::latest_needs(std::string_view attendee_id,
                                               std::string_view fair_id) const {
    Q q(prepared(db_, *impl_,
                 "SELECT e.body FROM needs n JOIN events e ON e.seq = n.seq WHERE "
                 "n.fair_id = ?1 AND n.attendee_id = ?2 ORDER BY n.seq DESC LIMIT 1"));
    q.bind(1, fair_id).bind(2, attendee_id);
    if (!q.row()) return std::nullopt;
    return decode_needs(blob_text(q.blob(0)));
}

std::optional<SeekerNeeds> Store::record_needs(SeekerNeeds d, const EventSigner& signer) {
    if (!signer_ok(signer)) return fail("err.event.signer"), std::nullopt;
    if (d.h.device_time < 0) return fail("err.checkin.time"), std::nullopt;
    if (!id_ok(d.attendee_id) || !id_ok(d.fair_id))
        return fail("err.store.id_missing"), std::nullopt;
    if (!text_ok(d.attendee_id, kShortText) || !text_ok(d.fair_id, kShortText))
        return fail("err.store.text"), std::nullopt;
    if (!needs_ok(d)) return fail("err.needs.field"), std::nullopt;
    if (needs_empty(d)) return fail("err.needs.empty"), std::nullopt;
    TxOps tx{db_, *impl_};
    if (!tx.begin()) return fail("err.store.db"), std::nullopt;
    if (auto last = latest_needs(d.attendee_id, d.fair_id);
        last && last->industries == d.industries && last->skill == d.skill &&
        last->certificates == d.certificates && last->services == d.services) {
        tx.rollback();
        return last;
    }
    if (auto key = append_projected(
            db_, *impl_, "needs", d, signer,
            "INSERT INTO needs(seq, uuid, attendee_id, fair_id) VALUES (?1, ?2, ?3, ?4)",
            [&](Q& q) { q.bind(3, d.attendee_id).bind(4, d.fair_id); });
        !key.empty()) {
        fail(key);
        tx.rollback();
        return std::nullopt;
    }
    if (!tx.commit()) return fail("err.store.db"), std::nullopt;
    return d;
}

std::vector<SeekerNeeds> Store::needs(std::string_view fair_id) const {
    std::vector<SeekerNeeds> out;
    Q q(prepared(db_, *impl_,
                 "SELECT e.body FROM needs n JOIN events e ON e.seq = n.seq "
                 "WHERE n.fair_id = ?1 ORDER BY n.seq"));
    q.bind(1, fair_id);
    while (q.row())
        if (auto v = decode_needs(blob_text(q.blob(0)))) out.push_back(std::move(*v));
    return out;
}

// -- Outbox ------------------------------------------------------------------------

std::vector<OutboxEvent> Store::events_after(int64_t seq, size_t limit) const {
    std::vector<OutboxEvent> out;
    Q q(prepared(db_, *impl_,
                 "SELECT seq, uuid, kind, body, signature, device_time FROM events WHERE seq > ?1 "
                 "ORDER BY seq LIMIT ?2"));
    q.bind(1, seq).bind(2, static_cast<int64_t>(std::min<size_t>(limit, 1u << 30)));
    while (q.row()) {
        OutboxEvent e;
        e.seq = q.i64(0);
        e.uuid = q.text(1);
        e.kind = q.text(2);
        e.body = q.blob(3);
        e.signature = q.blob(4);
        e.device_time = q.i64(5);
        out.push_back(std::move(e));
    }
    return out;
}

bool Store::mark_acknowledged(int64_t up_to_seq) {
    // Acknowledging what was never recorded would be a hub bug; refuse rather than skip events.
    if (up_to_seq > last_seq() || up_to_seq < 0) return fail("err.store.ack_ahead");
    Q q(prepared(db_, *impl_,
                 "UPDATE outbox SET acknowledged_seq = max(acknowledged_seq, ?1) WHERE id = 1"));
    q.bind(1, up_to_seq);
    return q.done() || fail("err.store.db");
}

bool Store::resend_after(int64_t seq) {
    Q q(prepared(
        db_, *impl_,
        "UPDATE outbox SET acknowledged_seq = max(0, min(acknowledged_seq, ?1)) WHERE id = 1"));
    q.bind(1, seq);
    return q.done() || fail("err.store.db");
}

int64_t Store::acknowledged_seq() const {
    Q q(prepared(db_, *impl_, "SELECT acknowledged_seq FROM outbox WHERE id = 1"));
    return q.row() ? q.i64(0) : 0;
}

int64_t Store::last_seq() const {
    // A wiped log keeps counting from where it was (its acknowledged sequence).
    Q q(prepared(db_, *impl_,
                 "SELECT max(coalesce((SELECT max(seq) FROM events), 0), "
                 "(SELECT acknowledged_seq FROM outbox WHERE id = 1))"));
    return q.row() ? q.i64(0) : 0;
}

} // namespace jf
