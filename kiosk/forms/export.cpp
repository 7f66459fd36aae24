// The terminal's forms: listings into the store, reports out of it.
#include "kiosk/forms/export.hpp"

#include "kiosk/domain/validate.hpp"
#include "platform/log/private_files.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>
#include <iterator>
#include <map>
#include <sstream>
#include <thread>

namespace jf::forms {

ReportInput load_report_input(const Store& store) {
    ReportInput in;
    in.campaigns = store.campaigns();
    in.fairs = store.fairs();
    in.employers = store.employers();
    // Every listing, closed ones too, page by page: a search returns at most one page.
    ListingQuery q;
    q.today = Date{1900, 1, 1};
    q.limit = 1000;
    for (;;) {
        auto page = store.search_listings(q);
        in.listings.insert(in.listings.end(), std::make_move_iterator(page.begin()),
                           std::make_move_iterator(page.end()));
        if (static_cast<int>(page.size()) < q.limit) break;
        q.offset += q.limit;
    }
    in.placements = store.placement_versions();
    auto append = [](auto& to, auto from) {
        to.insert(to.end(), std::make_move_iterator(from.begin()),
                  std::make_move_iterator(from.end()));
    };
    for (auto& f : in.fairs) {
        append(in.check_ins, store.check_ins(f.id));
        // The fair day (docs/fair-day.md): undone check-ins count nowhere; intents and station
        // services are counted too.
        append(in.undos, store.check_in_undos(f.id));
        append(in.intents, store.intents(f.id));
        append(in.services, store.services(f.id));
        append(in.needs, store.needs(f.id));
    }
    return in;
}

namespace {
// The import's own connection settings while it writes, put back when it is done:
// - synchronous=NORMAL: many short commits would each wait for the disk. In WAL mode a commit is
//   then made durable by the next checkpoint or the next FULL commit (the screens' check-ins
//   stay synchronous=FULL on their connection, and each of those syncs the whole log, the
//   import's rows included); finish() syncs the log before the import reports its rows stored,
//   so nothing the import has told is lost to a power cut.
// - wal_autocheckpoint: every commit rewrites the pages it touched into the WAL (the listing ids
//   are hashes, so a commit's rows land on as many pages of the id index); checkpointing every
//   1,000 pages copied the same pages back into the file, with two fsyncs, every few commits.
//   During the import the WAL may grow to 8,192 pages (32 MB) first.
// - secure_delete=FAST: what the import frees (replaced listing text, merged index segments of
//   public listing text) is zeroed inside the pages that stay, but freed pages are not written
//   again just to zero them. Pages freed by anything else were zeroed when they were freed.
// - a 32 MB page cache instead of 2 MB: the id and search indexes of 180,000 listings.
struct BulkWrite {
    Store& store;
    explicit BulkWrite(Store& s) : store(s) {
        sqlite3_exec(store.handle(),
                     "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=8192; "
                     "PRAGMA secure_delete=FAST; PRAGMA cache_size=-32768",
                     nullptr, nullptr, nullptr);
    }
    // Everything committed so far on disk: a checkpoint (which syncs the WAL first) and an fsync
    // of the WAL, in case a reader's snapshot kept the checkpoint from copying anything.
    bool finish() {
        restore();
        sqlite3_wal_checkpoint_v2(store.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                  nullptr);
        const char* db = sqlite3_db_filename(store.handle(), "main");
        return !db || !*db || files::sync_to_disk(sqlite3_filename_wal(db));
    }
    void restore() {
        sqlite3_exec(store.handle(),
                     "PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=1000; "
                     "PRAGMA secure_delete=ON; PRAGMA cache_size=-2000",
                     nullptr, nullptr, nullptr);
    }
    ~BulkWrite() { restore(); }
};
} // namespace

ListingApply apply_listings(Store& store, const std::vector<JobListing>& listings) {
    ListingApply out;
    std::map<std::string, std::string> employer_by_name;
    for (auto& e : store.employers())
        employer_by_name.emplace(unit_key(e.name), e.id);
    BulkWrite bulk{store};

    // What to write is decided before the write lock is taken: reads do not hold it (and all of
    // a batch's stored rows are read in one snapshot).
    std::vector<JobListing> writes;
    std::vector<bool> is_new;
    std::map<std::string, JobListing> stored;
    {
        std::vector<std::string> ids;
        ids.reserve(listings.size());
        for (auto& l : listings)
            ids.push_back(l.id);
        for (auto& l : store.listings(ids))
            stored.emplace(l.id, std::move(l));
    }
    for (const JobListing& in : listings) {
        JobListing l = in;
        if (l.employer_id.empty())
            if (auto it = employer_by_name.find(unit_key(l.employer_name));
                it != employer_by_name.end())
                l.employer_id = it->second;
        auto old = stored.find(l.id);
        bool known = old != stored.end();
        if (known) {
            if (l.union_unit.empty()) l.union_unit = old->second.union_unit; // keep staff's
            if (old->second.same_posting(l)) {
                ++out.unchanged;
                continue;
            }
        }
        is_new.push_back(!known);
        writes.push_back(std::move(l));
    }

    // Short transactions: the terminal's screens record check-ins and placements on the same file,
    // and a check-in must never wait for a whole import. Each commit holds about
    // kImportCommitEvery of work, then the write lock is let go for a moment. The number of rows
    // follows the processor time the last commit took (this thread's, not the clock's): on a
    // machine busy with other work, a wall-clock budget shrank the commits to a few rows each,
    // and every commit writes the search indexes' new segments, so the import then cost several
    // times the work.
    auto cpu_now = [] {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
    };
    size_t per = 32;
    std::vector<JobListing> chunk;
    for (size_t next = 0; next < writes.size();) {
        size_t n = std::min(per, writes.size() - next);
        chunk.assign(
            std::make_move_iterator(writes.begin() + static_cast<std::ptrdiff_t>(next)),
            std::make_move_iterator(writes.begin() + static_cast<std::ptrdiff_t>(next + n)));
        double t0 = cpu_now();
        if (!store.upsert_listings(chunk)) {
            out.error = store.last_error();
            return out;
        }
        double took = cpu_now() - t0;
        for (size_t i = next; i < next + n; ++i)
            ++(is_new[i] ? out.added : out.updated);
        next += n;
        double budget = std::chrono::duration<double>(kImportCommitEvery).count();
        double fit = static_cast<double>(n) * budget / std::max(took, 1e-5);
        per = static_cast<size_t>(std::clamp((static_cast<double>(per) + fit) / 2, 16.0, 2000.0));
        if (next < writes.size()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    out.ok = bulk.finish();
    if (!out.ok) out.error = "err.store.db";
    return out;
}

// One unit per line: unit (on one line, see clean_label), then the six figures, tab-separated.
bool save_targets(Store& store, const std::vector<Target>& targets) {
    std::string text;
    for (auto& t : targets) {
        text += clean_label(t.unit);
        for (auto f : t.figures)
            text += "\t" + std::to_string(f);
        text += "\n";
    }
    return store.set_setting("forms.targets", text);
}

std::vector<Target> saved_targets(const Store& store) {
    std::vector<Target> out;
    auto text = store.setting("forms.targets");
    if (!text) return out;
    std::istringstream in(*text);
    std::string line;
    while (std::getline(in, line)) {
        Target t;
        size_t p = line.find('\t');
        if (p == std::string::npos) continue;
        t.unit = line.substr(0, p);
        for (int m = 0; m < kTargetMeasures && p != std::string::npos; ++m) {
            size_t q = line.find('\t', p + 1);
            std::string v = line.substr(p + 1, q == std::string::npos ? q : q - p - 1);
            std::from_chars(v.data(), v.data() + v.size(), t.figures[m]);
            p = q;
        }
        out.push_back(t);
    }
    return out;
}

ExportResult export_reports(Store& store, const std::string& folder, const ReportPeriod& period,
                            const ExportOptions& opt) {
    ExportOptions o = opt;
    if (o.targets.empty()) o.targets = saved_targets(store);
    // The terminal holds no plain numbers: in.revealed stays empty and the forms show masks.
    return write_reports(load_report_input(store), folder, period, o);
}

bool export_current_week(Store& store, const std::string& folder, TimeMs now,
                         std::string* message_key) {
    auto r = export_reports(store, folder, ReportWeek::containing(now));
    std::string key;
    if (!r.error.empty())
        key = r.error;
    else if (!r.refused.empty())
        key = r.refused.front().second.key;
    if (message_key) *message_key = key;
    return r.ok;
}

StoreImport import_listings_into(Store& store, const std::string& path,
                                 const ListingImportOptions& opt) {
    StoreImport out;
    out.applied.ok = true;
    out.file = import_listings(path, opt, [&](std::vector<JobListing>& batch) {
        ListingApply a = apply_listings(store, batch);
        out.applied.added += a.added;
        out.applied.updated += a.updated;
        out.applied.unchanged += a.unchanged;
        if (!a.ok) out.applied.ok = false, out.applied.error = a.error;
        return a.ok;
    });
    if (!out.file.ok) out.applied.ok = false;
    return out;
}

} // namespace jf::forms
