// The terminal's forms: listings into the store, reports out of it.
#include "forms/export.hpp"

#include "domain/validate.hpp"

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
    }
    return in;
}


ListingApply apply_listings(Store& store, const std::vector<JobListing>& listings) {
    ListingApply out;
    std::map<std::string, std::string> employer_by_name;
    for (auto& e : store.employers())
        employer_by_name.emplace(unit_key(e.name), e.id);
    // Many short commits would each wait for the disk; an import can be repeated, so its commits
    // are made durable at the next checkpoint instead of one by one (WAL, synchronous=NORMAL on
    // this connection only: safe against a crash of the program; a power cut may lose the last
    // batches, which importing the file again restores). Check-ins on the screen's connection stay
    // synchronous=FULL.
    sqlite3_exec(store.handle(), "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
    struct Restore {
        Store& s;
        ~Restore() { sqlite3_exec(s.handle(), "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr); }
    } restore{store};

    // What to write is decided before the write lock is taken: reads do not hold it.
    std::vector<JobListing> writes;
    std::vector<bool> is_new;
    for (const JobListing& in : listings) {
        JobListing l = in;
        if (l.employer_id.empty())
            if (auto it = employer_by_name.find(unit_key(l.employer_name));
                it != employer_by_name.end())
                l.employer_id = it->second;
        auto old = store.listing(l.id);
        if (old) {
            if (l.union_unit.empty()) l.union_unit = old->union_unit; // keep staff's
            if (old->same_posting(l)) {
                ++out.unchanged;
                continue;
            }
        }
        is_new.push_back(!old);
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
    out.ok = true;
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
