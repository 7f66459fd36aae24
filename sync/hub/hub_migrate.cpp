// `jobfair-hub migrate` (hub_migrate.hpp): a county's hub.db into the province's PostgreSQL
// database in one transaction.
#include "sync/hub/hub_migrate.hpp"

#include "sync/hub/hub_keyfile.hpp"
#include "sync/hub/hub_lock.hpp"
#include "sync/hub/hub_service.hpp" // now_ms()
#include "sync/hub/hub_store.hpp"
#include "platform/log/private_files.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>

namespace jf::hub {
namespace {

namespace fs = std::filesystem;

// How each table goes over. `key`: its primary key (what RETURNING names, and what a clash is
// looked up by); empty for a table whose id the database gives anew (`serial`).
struct TableSpec {
    const char* table;
    const char* key;
    bool versioned = false;     // a reference stream: version renumbered above the base
    bool keep_existing = false; // the database's row wins, whatever the county's says
    bool serial = false;        // id BIGSERIAL: the county's ids are not kept
};
// Unions first (fairs and listings name them), terminals before what they uploaded.
const TableSpec kTables[] = {
    {"unions", "id", false, true},
    {"campaigns", "id", true},
    {"fairs", "id", true},
    {"employers", "id", true},
    {"listings", "id", true},
    {"attendees", "id", true},
    {"revocations", "id", true},
    {"issuer_keys", "id", true},
    {"notices", "id", true},
    {"terminals", "id"},
    {"enrol_codes", "code_hash"},
    {"events", "uuid"},
    {"check_ins", "uuid"},
    {"placements", "uuid"},
    {"fair_day_events", "uuid"},
    {"registrations", "uuid"},
    {"phone_codes", "attendee_id"},
    {"accounts", "name"},
    {"sessions", "id_hash"},
    {"campaign_targets", "campaign_id, position"},
    {"report_downloads", "account, week, union_id"},
    {"openings", "", false, false, true},
    {"quarantine", "", false, false, true},
};

struct PgResult {
    PGresult* r = nullptr;
    explicit PgResult(PGresult* p) : r(p) {}
    ~PgResult() { PQclear(r); }
    PgResult(PgResult&& o) noexcept : r(o.r) { o.r = nullptr; }
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;
    bool ok() const {
        auto s = PQresultStatus(r);
        return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
    }
    int rows() const { return PQntuples(r); }
    std::string text(int row, int col) const {
        return PQgetisnull(r, row, col) ? std::string() : std::string(PQgetvalue(r, row, col));
    }
};

struct Param {
    std::string data;
    bool null = false;
    bool binary = false;
};

class Mover {
  public:
    Mover(sqlite3* src, PGconn* dst, MigrateReport& report)
        : src_(src), dst_(dst), report_(report) {}
    std::string error;

    PgResult run(const std::string& sql, const std::vector<Param>& params = {}) {
        std::vector<const char*> values;
        std::vector<int> lengths, formats;
        for (auto& p : params) {
            values.push_back(p.null ? nullptr : p.data.data());
            lengths.push_back(static_cast<int>(p.data.size()));
            formats.push_back(p.binary ? 1 : 0);
        }
        PgResult r(PQexecParams(dst_, sql.c_str(), static_cast<int>(params.size()), nullptr,
                                values.data(), lengths.data(), formats.data(), 0));
        if (!r.ok() && error.empty()) error = PQerrorMessage(dst_);
        return r;
    }

    std::string county_meta(const char* key) {
        sqlite3_stmt* s = nullptr;
        std::string out;
        if (sqlite3_prepare_v2(src_, "SELECT value FROM meta WHERE key=?", -1, &s, nullptr) ==
            SQLITE_OK) {
            sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
            if (sqlite3_step(s) == SQLITE_ROW)
                out.assign(static_cast<const char*>(sqlite3_column_blob(s, 0)),
                           static_cast<size_t>(sqlite3_column_bytes(s, 0)));
        }
        sqlite3_finalize(s);
        return out;
    }
    int64_t county_int(const std::string& sql) {
        sqlite3_stmt* s = nullptr;
        int64_t v = 0;
        if (sqlite3_prepare_v2(src_, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        return v;
    }
    std::vector<std::string> county_columns(const std::string& table) {
        std::vector<std::string> out;
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(src_, ("PRAGMA table_info(" + table + ")").c_str(), -1, &s,
                               nullptr) == SQLITE_OK)
            while (sqlite3_step(s) == SQLITE_ROW)
                out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
        sqlite3_finalize(s);
        return out;
    }

    // Copies one table. The county's rows are read in their order and written in batches of one
    // multi-row INSERT … ON CONFLICT DO NOTHING RETURNING key; a row not returned met a row
    // already there, which must be the same record (else a clash).
    bool copy(const TableSpec& t, int64_t base) {
        std::map<std::string, std::string> pg_types; // column → data_type
        {
            auto r = run("SELECT column_name, data_type FROM information_schema.columns "
                         "WHERE table_schema=current_schema() AND table_name=$1",
                         {{t.table}});
            if (!r.ok()) return false;
            for (int i = 0; i < r.rows(); ++i)
                pg_types[r.text(i, 0)] = r.text(i, 1);
        }
        std::vector<std::string> cols;
        for (auto& c : county_columns(t.table))
            if (pg_types.count(c) && !(t.serial && c == "id")) cols.push_back(c);
        if (cols.empty()) return true; // the county's hub never had this table
        std::string names, compared;
        for (size_t i = 0; i < cols.size(); ++i) {
            names += (i ? ", " : "") + cols[i];
            compared +=
                (i ? ", " : "") + (pg_types[cols[i]] == "bytea" ? "encode(" + cols[i] + ", 'hex')"
                                                                : cols[i] + "::text");
        }
        std::vector<std::string> keys;
        {
            std::string k = t.key;
            for (size_t at = 0; !k.empty();) {
                auto comma = k.find(", ", at);
                keys.push_back(k.substr(at, comma == std::string::npos ? comma : comma - at));
                if (comma == std::string::npos) break;
                at = comma + 2;
            }
        }
        std::vector<size_t> key_cols;
        for (auto& k : keys)
            key_cols.push_back(
                static_cast<size_t>(std::find(cols.begin(), cols.end(), k) - cols.begin()));
        for (auto i : key_cols)
            if (i >= cols.size()) return error = std::string(t.table) + ": no key column", false;

        std::string select =
            "SELECT " + names + (t.serial ? ", id" : "") + " FROM " + t.table + " ORDER BY rowid";
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(src_, select.c_str(), -1, &s, nullptr) != SQLITE_OK)
            return error = sqlite3_errmsg(src_), false;
        std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(s, sqlite3_finalize);
        // Quarantine rows go one by one (few), to learn each new id for the terminals' quota.
        const size_t per_batch =
            t.serial && std::string(t.table) == "quarantine"
                ? 1
                : std::max<size_t>(1, std::min<size_t>(500, 30000 / cols.size()));
        std::vector<std::vector<Param>> batch;
        std::vector<int64_t> old_ids;
        auto flush = [&]() -> bool {
            if (batch.empty()) return true;
            std::string sql = "INSERT INTO " + std::string(t.table) + "(" + names + ") VALUES ";
            std::vector<Param> params;
            for (size_t r = 0; r < batch.size(); ++r) {
                sql += r ? ",(" : "(";
                for (size_t c = 0; c < cols.size(); ++c) {
                    params.push_back(batch[r][c]);
                    sql += (c ? ",$" : "$") + std::to_string(params.size());
                }
                sql += ")";
            }
            sql += " ON CONFLICT DO NOTHING RETURNING " + std::string(t.serial ? "id" : t.key);
            auto res = run(sql, params);
            if (!res.ok()) return false;
            report_.rows[t.table] += res.rows();
            if (t.serial) {
                if (res.rows() != static_cast<int>(batch.size()))
                    report_.clashes.push_back(std::string(t.table) + " " + batch[0][0].data);
                else if (per_batch == 1)
                    quarantine_ids_[old_ids[0]] = std::stoll(res.text(0, 0));
                batch.clear();
                old_ids.clear();
                return true;
            }
            std::set<std::string> stored;
            for (int r = 0; r < res.rows(); ++r) {
                std::string k;
                for (size_t c = 0; c < keys.size(); ++c)
                    k += (c ? "\x1f" : "") + res.text(r, static_cast<int>(c));
                stored.insert(k);
            }
            for (auto& row : batch) {
                std::string k, shown;
                for (size_t c = 0; c < key_cols.size(); ++c) {
                    k += (c ? "\x1f" : "") + row[key_cols[c]].data;
                    shown += (c ? "/" : "") + row[key_cols[c]].data;
                }
                if (stored.count(k) || t.keep_existing) continue;
                if (!same_as_stored(t, cols, compared, keys, key_cols, row))
                    report_.clashes.push_back(std::string(t.table) + " " + shown);
                if (!error.empty()) return false;
            }
            batch.clear();
            return true;
        };
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            std::vector<Param> row(cols.size());
            for (size_t c = 0; c < cols.size(); ++c) {
                int i = static_cast<int>(c);
                Param& p = row[c];
                if (sqlite3_column_type(s, i) == SQLITE_NULL) {
                    p.null = true;
                } else if (t.versioned && cols[c] == "version") {
                    p.data = std::to_string(sqlite3_column_int64(s, i) + base);
                } else if (pg_types[cols[c]] == "bytea") {
                    p.binary = true;
                    p.data.assign(static_cast<const char*>(sqlite3_column_blob(s, i)),
                                  static_cast<size_t>(sqlite3_column_bytes(s, i)));
                } else {
                    p.data.assign(reinterpret_cast<const char*>(sqlite3_column_text(s, i)),
                                  static_cast<size_t>(sqlite3_column_bytes(s, i)));
                }
            }
            if (t.serial) old_ids.push_back(sqlite3_column_int64(s, static_cast<int>(cols.size())));
            batch.push_back(std::move(row));
            if (batch.size() >= per_batch && !flush()) return false;
        }
        if (rc != SQLITE_DONE) return error = sqlite3_errmsg(src_), false;
        return flush();
    }

    // The row the database holds under the county row's key is the same record (versions aside).
    bool same_as_stored(const TableSpec& t, const std::vector<std::string>& cols,
                        const std::string& compared, const std::vector<std::string>& keys,
                        const std::vector<size_t>& key_cols, const std::vector<Param>& row) {
        std::string where;
        std::vector<Param> params;
        for (size_t c = 0; c < keys.size(); ++c) {
            params.push_back(row[key_cols[c]]);
            where += (c ? " AND " : "") + keys[c] + "::text=$" + std::to_string(c + 1);
        }
        auto r = run("SELECT " + compared + " FROM " + t.table + " WHERE " + where, params);
        if (!r.ok() || r.rows() != 1) return false; // another unique column clashed
        for (size_t c = 0; c < cols.size(); ++c) {
            if (t.versioned && cols[c] == "version") continue;
            const Param& p = row[c];
            std::string mine = p.null ? std::string() : p.binary ? hex(to_bytes(p.data)) : p.data;
            if (mine != r.text(0, static_cast<int>(c))) return false;
        }
        return true;
    }

    // A terminal's quarantine quota counts the rows after its quarantine_base (a quarantine id):
    // the county's ids are translated to the ones its rows were given here.
    bool translate_quarantine_bases(int64_t before) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(src_,
                               "SELECT id, quarantine_base FROM terminals "
                               "WHERE quarantine_base > 0",
                               -1, &s, nullptr) != SQLITE_OK)
            return true; // a county hub made before quotas had none
        std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(s, sqlite3_finalize);
        while (sqlite3_step(s) == SQLITE_ROW) {
            std::string id(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
            int64_t old_base = sqlite3_column_int64(s, 1), mapped = before;
            auto it = quarantine_ids_.upper_bound(old_base);
            if (it != quarantine_ids_.begin()) mapped = std::prev(it)->second;
            if (!run("UPDATE terminals SET quarantine_base=$1 WHERE id=$2",
                     {{std::to_string(mapped)}, {id}})
                     .ok())
                return false;
        }
        return true;
    }

  private:
    sqlite3* src_;
    PGconn* dst_;
    MigrateReport& report_;
    std::map<int64_t, int64_t> quarantine_ids_; // county's quarantine id → the database's
};

} // namespace

bool migrate_hub(const std::string& from_arg, const std::string& url, const std::string& data_dir,
                 MigrateReport* report, std::string* error, bool dry_run) {
    MigrateReport scratch;
    MigrateReport& rep = report ? *report : scratch;
    auto fail = [&](const std::string& why) {
        if (error) *error = why;
        return false;
    };
    fs::path from = from_arg;
    if (fs::is_directory(from)) from /= "hub.db";
    if (!fs::exists(from)) return fail(from.string() + ": no such file");
    if (from.filename() != "hub.db")
        return fail(from.string() + ": a county hub's database is named hub.db");
    if (!is_database_url(url)) return fail("--to must be a postgresql:// URL");
    std::string county_dir = from.parent_path().empty() ? "." : from.parent_path().string();
    // The county's hub must be stopped: what it received after the copy would be lost.
    std::string why;
    auto lock = DataDirLock::acquire(county_dir, &why);
    if (!lock && !dry_run) return fail("the county's hub is running (" + why + "); stop it first");
    why.clear();
    // Opening the county's store brings an older hub.db up to the current schema and checks it
    // (quick_check); opening the province's makes its tables and keys on first use.
    {
        auto county = open_hub_store(county_dir, &why);
        if (!county) return fail(from.string() + ": " + why);
        auto province = open_hub_store(data_dir, &why, url);
        if (!province) return fail(why);
    }
    auto pass = key_passphrase(&why);
    if (!why.empty()) return fail(why);
    auto county_key = read_seal_key(seal_key_path(county_dir), pass, &why);
    if (!county_key)
        return fail("the county's sealing key (" + seal_key_path(county_dir) + "): " + why +
                    "; without it the province could not open the county's people's numbers");

    sqlite3* src = nullptr;
    if (sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        std::string e = src ? sqlite3_errmsg(src) : "cannot open";
        sqlite3_close(src);
        return fail(from.string() + ": " + e);
    }
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> src_guard(src, sqlite3_close);
    PGconn* dst = PQconnectdb(url.c_str());
    std::unique_ptr<PGconn, void (*)(PGconn*)> dst_guard(dst, PQfinish);
    if (PQstatus(dst) != CONNECTION_OK)
        return fail(std::string("cannot connect to the database: ") + PQerrorMessage(dst));
    PQsetClientEncoding(dst, "UTF8");
    Mover m(src, dst, rep);

    std::string epoch = m.county_meta("epoch"), seal_pk = m.county_meta("seal_pk");
    if (epoch.empty() || seal_pk.empty()) return fail(from.string() + ": not a hub database");
    if (to_bytes(seal_pk) != county_key->public_key)
        return fail(seal_key_path(county_dir) + ": not the key of " + from.string());
    // The county's highest change version: its counter, or a row above it (never expected).
    int64_t span = 0;
    try {
        span = std::stoll(m.county_meta("change_seq"));
    } catch (...) {
    }
    for (auto& t : kTables)
        if (t.versioned)
            span =
                std::max(span, m.county_int(std::string("SELECT coalesce(max(version), 0) FROM ") +
                                            t.table));

    // One snapshot of the county, one transaction in the database.
    if (sqlite3_exec(src, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK)
        return fail(sqlite3_errmsg(src));
    if (!m.run("BEGIN").ok()) return fail(m.error);
    auto rollback = [&](const std::string& why) {
        m.run("ROLLBACK");
        return fail(why);
    };
    // The counter row is locked to the commit: hub processes writing reference data wait, and
    // a second migration of the same county sees the first one's record below.
    auto counter = m.run("SELECT value FROM change_counter FOR UPDATE");
    if (!counter.ok() || counter.rows() != 1) return rollback("the database: " + m.error);
    int64_t base = std::stoll(counter.text(0, 0));
    auto into = m.run("SELECT convert_from(value, 'UTF8') FROM meta WHERE key='epoch'");
    if (!into.ok() || into.rows() != 1) return rollback("the database: " + m.error);
    std::string into_epoch = into.text(0, 0);
    if (epoch == into_epoch) return rollback(from.string() + " is this database's own hub");
    {
        auto before = m.run("SELECT source, moved_at FROM moved_hubs WHERE epoch=$1", {{epoch}});
        if (!before.ok()) return rollback("the database: " + m.error);
        if (before.rows() > 0) {
            rep.already_moved = true;
            return rollback(from.string() + " was moved into this database before (from " +
                            before.text(0, 0) + "); nothing was changed");
        }
    }
    rep.base = base;
    rep.span = span;
    auto qbefore = m.run("SELECT coalesce(max(id), 0) FROM quarantine");
    if (!qbefore.ok()) return rollback("the database: " + m.error);
    int64_t quarantine_before = std::stoll(qbefore.text(0, 0));
    for (auto& t : kTables)
        if (!m.copy(t, base)) return rollback("copying " + std::string(t.table) + ": " + m.error);
    if (!rep.clashes.empty()) return rollback("ids the database already holds for other records");
    if (!m.translate_quarantine_bases(quarantine_before))
        return rollback("the database: " + m.error);
    if (!m.run("UPDATE change_counter SET value=$1", {{std::to_string(base + span)}}).ok() ||
        !m.run("INSERT INTO moved_hubs(epoch, into_epoch, base, span, source, seal_pk, moved_at) "
               "VALUES($1,$2,$3,$4,$5,$6,$7)",
               {{epoch},
                {into_epoch},
                {std::to_string(base)},
                {std::to_string(span)},
                {fs::absolute(from).string()},
                {seal_pk, false, true},
                {std::to_string(now_ms())}})
             .ok())
        return rollback("the database: " + m.error);
    if (dry_run) {
        m.run("ROLLBACK");
        return true;
    }
    // The county's key joins the ring before the commit: a move whose people cannot be opened
    // is not made.
    std::string ring = moved_keys_dir(data_dir);
    std::string key_file =
        (fs::path(ring) / (hex(county_key->public_key).substr(0, 16) + ".key")).string();
    bool key_new = !fs::exists(key_file);
    if (!files::private_dir(ring, &why) ||
        (key_new && !write_seal_key(key_file, *county_key, pass, &why)))
        return rollback("the key ring: " + why);
    if (!m.run("COMMIT").ok()) {
        std::error_code ec;
        if (key_new) fs::remove(key_file, ec);
        return fail("the database: " + m.error);
    }
    sqlite3_exec(src, "COMMIT", nullptr, nullptr, nullptr);
    return true;
}

} // namespace jf::hub
