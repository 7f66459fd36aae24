// A real PostgreSQL for the hub's tests, and the switch that runs them on it.
// - PgCluster: one cluster per test binary, made by initdb in a temporary directory as an
//   unprivileged user (CI runs as root, which PostgreSQL refuses: `runuser -u nobody`), listening
//   only on a Unix socket in that directory, stopped and removed when the binary exits. Each test
//   gets a database of its own (new_database()).
// - JF_HUB_BACKEND=postgresql in the environment (ctest's *_pg entries set it): open_test_hub()
//   and hub_database_args() put the hub under test on such a database instead of hub.db.
#pragma once

#include "sync/hub/hub_store.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace jf::test {

inline bool pg_backend() {
    const char* b = std::getenv("JF_HUB_BACKEND");
    return b && std::string(b) == "postgresql";
}

class PgCluster {
  public:
    static PgCluster& instance() {
        static PgCluster c;
        return c;
    }
    const std::string& error() const { return error_; }

    // URL of a new empty database, or empty (and error()) when the cluster could not start.
    std::string new_database() {
        if (!error_.empty()) return {};
        std::string name = "hub_" + std::to_string(::getpid()) + "_" + std::to_string(++made_);
        PGconn* c = PQconnectdb(("host=" + dir_ + " dbname=postgres user=jobfair").c_str());
        bool ok = PQstatus(c) == CONNECTION_OK;
        if (ok) {
            PGresult* r = PQexec(c, ("CREATE DATABASE " + name).c_str());
            ok = PQresultStatus(r) == PGRES_COMMAND_OK;
            if (!ok) error_ = PQerrorMessage(c);
            PQclear(r);
        } else
            error_ = PQerrorMessage(c);
        PQfinish(c);
        if (!ok) return {};
        return "postgresql:///" + name + "?host=" + dir_ + "&user=jobfair";
    }
    // The socket directory (libpq's host=) of the running cluster.
    const std::string& socket_dir() const { return dir_; }

    ~PgCluster() {
        if (started_)
            run(as_ + bin_ + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop >/dev/null");
        std::error_code ec;
        if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
    }

  private:
    PgCluster() {
        for (const char* v : {"17", "16", "15", "14", "13"}) {
            std::string b = std::string("/usr/lib/postgresql/") + v + "/bin";
            if (std::filesystem::exists(b + "/initdb")) {
                bin_ = b;
                break;
            }
        }
        if (bin_.empty()) {
            error_ = "no PostgreSQL server installed (Debian: apt-get install postgresql)";
            return;
        }
        char tmpl[] = "/tmp/jf-pg-XXXXXX";
        if (!::mkdtemp(tmpl)) {
            error_ = "mkdtemp failed";
            return;
        }
        dir_ = tmpl;
        if (::geteuid() == 0) {
            // PostgreSQL will not run as root: the cluster belongs to nobody.
            as_ = "runuser -u nobody -- ";
            if (run("chown nobody " + dir_) != 0) {
                error_ = "chown nobody " + dir_ + " failed";
                return;
            }
        }
        if (run(as_ + bin_ + "/initdb -D " + dir_ + "/data -U jobfair -A trust -E UTF8 " +
                "--locale=C --no-sync > " + dir_ + "/initdb.log 2>&1") != 0) {
            error_ = "initdb failed (see " + dir_ + "/initdb.log)";
            return;
        }
        // Unix socket only; fsync off: the tests kill hub processes, never the machine.
        if (run(as_ + bin_ + "/pg_ctl -D " + dir_ + "/data -l " + dir_ + "/server.log -w -t 60 " +
                "-o \"-k " + dir_ +
                " -c listen_addresses='' -c fsync=off -c max_connections=200\" " +
                "start > /dev/null") != 0) {
            error_ = "pg_ctl start failed (see " + dir_ + "/server.log)";
            return;
        }
        started_ = true;
    }
    static int run(const std::string& cmd) { return std::system(cmd.c_str()); }

    std::string bin_, dir_, as_, error_;
    bool started_ = false;
    int made_ = 0;
};

// The hub store a test works on: <data_dir>/hub.db, or a fresh PostgreSQL database when the
// run is on PostgreSQL (the key file in data_dir either way).
inline std::unique_ptr<hub::HubStore> open_test_hub(const std::string& data_dir,
                                                    std::string* database = nullptr) {
    std::string url;
    if (pg_backend()) {
        url = PgCluster::instance().new_database();
        if (url.empty()) {
            std::fprintf(stderr, "PostgreSQL for the tests: %s\n",
                         PgCluster::instance().error().c_str());
            return nullptr;
        }
    }
    if (database) *database = url;
    std::string err;
    auto store = hub::open_hub_store(data_dir, &err, url);
    if (!store) std::fprintf(stderr, "open_test_hub: %s\n", err.c_str());
    return store;
}

} // namespace jf::test
