// 附件4 listings and 附件1 targets from the union's spreadsheets: header matching, row checks,
// stable identities.
#include "kiosk/forms/import.hpp"

#include "kiosk/crypto/crypto.hpp"
#include "kiosk/domain/validate.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_map>

namespace jf::forms {

// -----------------------------------------------------------------------------
// Header matching
// -----------------------------------------------------------------------------

std::string header_key(std::string_view cell) {
    std::string out;
    for (auto& c : utf8_chars(cell)) {
        if (c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\xE3\x80\x80" ||
            c == "\xC2\xA0" || c == "*" || c == "\xEF\xBC\x8A" || c == "\xE2\x80\xBB")
            continue;
        if (c == "\xEF\xBC\x88")
            out += '('; // （
        else if (c == "\xEF\xBC\x89")
            out += ')'; // ）
        else if (c == "\xEF\xBC\x9A")
            out += ':'; // ：
        else
            out += c;
    }
    return out;
}

// "招聘人数(人)" → "招聘人数": a unit in parentheses does not change the column.
static std::string without_unit(const std::string& key) {
    if (!key.empty() && key.back() == ')')
        if (auto p = key.rfind('('); p != std::string::npos && p > 0) return key.substr(0, p);
    return key;
}

namespace {

enum Col {
    kSeq,
    kEmployer,
    kTitle,
    kHeadcount,
    kLocation,
    kIndustry,
    kSalary,
    kGender,
    kEducation,
    kContact,
    kPhone,
    kEmail,
    kDescription,
    kExperience,
    kDeadline,
    kRemarks,
    kColCount
};

struct ColSpec {
    const char* name; // the union's column name in 附件4
    bool required;
    std::vector<const char*> aliases; // wordings seen in other unions' versions of the form
};

const ColSpec kCols[kColCount] = {
    {"序号", false, {"编号"}},
    {"单位名称", true, {"企业名称", "用人单位", "用人单位名称", "招聘单位"}},
    {"岗位名称", true, {"招聘岗位", "职位名称", "岗位"}},
    {"招聘人数", false, {"需求人数", "人数"}},
    {"工作地点", true, {"工作地址", "工作地"}},
    {"行业类别", false, {"行业", "所属行业"}},
    {"薪资", false, {"薪酬", "工资", "薪资待遇", "月薪"}},
    {"性别要求", false, {"性别"}},
    {"学历要求", false, {"学历"}},
    {"联系人", false, {}},
    {"联系电话", true, {"联系方式", "电话"}},
    {"邮箱", false, {"电子邮箱", "Email", "E-mail"}},
    {"职位描述及要求", false, {"职位描述", "岗位描述", "岗位要求", "任职要求", "职位要求"}},
    {"工作经验要求", false, {"工作经验", "经验要求"}},
    {"招聘截止日期", true, {"截止日期", "招聘截至日期"}},
    {"备注", false, {}},
};

int match_column(const std::string& cell) {
    std::string k = header_key(cell), bare = without_unit(k);
    if (k.empty()) return -1;
    for (int i = 0; i < kColCount; ++i) {
        if (k == kCols[i].name || bare == kCols[i].name) return i;
        for (auto* a : kCols[i].aliases)
            if (k == a || bare == a) return i;
    }
    return -1;
}

// Column positions from a header row; -1 where absent.
struct HeaderMap {
    int pos[kColCount];
    int found = 0;
    HeaderMap() { std::fill(std::begin(pos), std::end(pos), -1); }
    std::vector<std::string> missing_required() const {
        std::vector<std::string> out;
        for (int i = 0; i < kColCount; ++i)
            if (kCols[i].required && pos[i] < 0) out.push_back(kCols[i].name);
        return out;
    }
};

HeaderMap map_header(const std::vector<std::string>& cells) {
    HeaderMap h;
    for (size_t c = 0; c < cells.size(); ++c) {
        int col = match_column(cells[c]);
        if (col >= 0 && h.pos[col] < 0) {
            h.pos[col] = static_cast<int>(c);
            ++h.found;
        }
    }
    return h;
}

// Only spaces (also U+3000 and U+00A0): without copying the cell.
bool blank(const std::string& cell) {
    for (size_t i = 0; i < cell.size();) {
        char c = cell[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            ++i;
        else if (cell.compare(i, 3, "\xE3\x80\x80") == 0)
            i += 3;
        else if (cell.compare(i, 2, "\xC2\xA0") == 0)
            i += 2;
        else
            return false;
    }
    return true;
}

int filled_cells(const std::vector<std::string>& cells) {
    int n = 0;
    for (auto& c : cells)
        if (!blank(c)) ++n;
    return n;
}

// Column names found in a header's second row replace what the first row said for those columns
// (a group title such as 联系方式 matched 联系电话 by alias) and fill the rest in.
void merge_header(HeaderMap& h, const HeaderMap& below) {
    for (int i = 0; i < kColCount; ++i) {
        if (below.pos[i] < 0) continue;
        for (int j = 0; j < kColCount; ++j)
            if (j != i && h.pos[j] == below.pos[i]) h.pos[j] = -1; // the group title's guess
        h.pos[i] = below.pos[i];
    }
    h.found = 0;
    for (int i = 0; i < kColCount; ++i)
        if (h.pos[i] >= 0) ++h.found;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (auto& s : v)
        out += (out.empty() ? "" : sep) + s;
    return out;
}

// Below the header, rows of the form that are not listings: the footer (联络员姓名：…, 备注：…)
// and the numbered blank rows carry text in one cell only.
bool is_form_furniture(const std::vector<std::string>& cells, const HeaderMap& h) {
    int filled = 0, data_filled = 0;
    const std::string* last = nullptr;
    for (size_t c = 0; c < cells.size(); ++c) {
        if (blank(cells[c])) continue;
        ++filled;
        last = &cells[c];
        if (static_cast<int>(c) != h.pos[kSeq]) ++data_filled;
    }
    if (filled > 2 && data_filled > 0) return false; // a listing row: the usual case
    std::string only = last ? trim(*last) : std::string();
    if (data_filled == 0) return true;
    // The footer's filled-in lines (联络员姓名：张三, 联系电话：…), wherever 序号 sits: a label
    // with a colon in the first filled cell, at most its value beside it.
    if (filled <= 2) {
        std::string first;
        for (auto& c : cells)
            if (!blank(c)) {
                first = trim(c);
                break;
            }
        for (const char* label : {"联络员姓名", "联络员", "联系电话", "手机号码", "电子邮箱",
                                  "填表人", "填报人", "审核人", "填报日期", "填表日期"}) {
            std::string l = label;
            if (first.rfind(l + "\xEF\xBC\x9A", 0) == 0 || first.rfind(l + ":", 0) == 0)
                return true;
        }
    }
    if (filled != 1) return false;
    for (const char* p : {"备注", "注：", "注:", "联络员", "填表", "填报", "报送"})
        if (only.rfind(p, 0) == 0) return true;
    return only.size() >= 3 &&
           (only.substr(only.size() - 3) == "\xEF\xBC\x9A" || only.back() == ':');
}

std::optional<Date> parse_deadline(const std::string& text) {
    std::string s = trim(fold_fullwidth(text)); // ２０２４０４１０ as typed in Chinese input
    if (s.size() == 8 || (s.size() == 10 && s[4] == '-')) // 20240410, 2024-04-10: the usual forms
        if (auto d = Date::parse(s)) return d;
    if (auto sp = s.find(' '); sp != std::string::npos)
        s = s.substr(0, sp); // "2024-04-10 00:00:00"
    std::string t;
    for (auto& c : utf8_chars(s)) {
        if (c == "年" || c == "月" || c == "." || c == "\xE3\x80\x82")
            t += '-';
        else if (c == "日" || c == "号")
            continue;
        else
            t += c;
    }
    return Date::parse(t);
}

// nullopt with `bad` set when the text is not a count of people.
std::optional<int> parse_headcount(const std::string& text, bool& bad) {
    bad = false;
    std::string s = trim(fold_fullwidth(text));
    for (const char* unit : {"人", "名", "个"})
        if (s.size() > 3 && s.substr(s.size() - 3) == unit) s = trim(s.substr(0, s.size() - 3));
    if (s.empty() || s == "若干" || s == "不限" || s == "多名") return std::nullopt;
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < 0) {
        bad = true;
        return std::nullopt;
    }
    return v;
}

} // namespace

// Problems listed one by one up to kMaxListedProblems; the rest are counted, and one line says
// how many more there are (a broken file must not print millions of lines).
static void add_problem(ListingImport& out, ImportProblem p) {
    if (out.problems.size() < kMaxListedProblems)
        out.problems.push_back(std::move(p));
    else
        ++out.unlisted_problems;
}

static void finish_problems(ListingImport& out) {
    if (out.unlisted_problems > 0)
        out.problems.push_back(
            {0, {}, "err.import.more_problems", {std::to_string(out.unlisted_problems)}});
}

// A file the reader refused, as a problem naming its row when it has one.
static ImportProblem refusal(const TableResult& t) {
    std::vector<std::string> args;
    if (t.error_key == "err.import.too_large") args = {std::to_string(kMaxUnpackedBytes >> 20)};
    if (t.error_key == "err.import.too_many_rows") args = {std::to_string(kMaxRows)};
    if (t.error_key == "err.import.cell_too_long") args = {"32767"};
    return {t.row, {}, t.error_key, args};
}

std::string listing_identity(std::string_view employer_name, std::string_view title,
                             std::string_view work_location) {
    std::string material = unit_key(trim(employer_name)) + '\x1f' + unit_key(trim(title)) + '\x1f' +
                           unit_key(trim(work_location));
    return "L" + keyed_hash({}, "jf.listing.v1", material).substr(0, 31);
}

// -----------------------------------------------------------------------------
// Listings
// -----------------------------------------------------------------------------

// `batch` null: the good rows are kept in `listings`; otherwise handed over in groups.
static ListingImport import_rows(const std::function<TableResult(const RowSink&)>& read,
                                 const ListingImportOptions& opt, const ListingBatch* batch) {
    ListingImport out;
    HeaderMap header, split_header;
    bool have_header = false;
    int64_t subheader_row = -1, split_row = 0;
    std::vector<std::string> best_missing;
    int best_found = 0;
    int64_t scanned = 0;
    std::unordered_map<std::string, int64_t> first_row_of; // listing id → row
    auto cell = [&](const std::vector<std::string>& cells, int col) -> std::string {
        int p = header.pos[col];
        return p >= 0 && static_cast<size_t>(p) < cells.size() ? trim(cells[static_cast<size_t>(p)])
                                                               : std::string();
    };
    RowSink sink = [&](int64_t row, std::vector<std::string>& cells) -> bool {
        if (!have_header) {
            HeaderMap h = map_header(cells);
            if (h.found >= 3) {
                auto missing = h.missing_required();
                if (missing.empty()) {
                    header = h;
                    have_header = true;
                    subheader_row = row + 1;
                    out.header_row = row;
                    return true;
                }
                if (h.found > best_found) {
                    best_found = h.found;
                    best_missing = missing;
                    split_header = h;
                    split_row = row;
                }
            }
            // A header over two rows: 联系方式 over 联系人 / 联系电话 / 邮箱 (merged cells).
            if (split_row > 0 && row == split_row + 1) {
                HeaderMap below = map_header(cells);
                if (below.found > 0 && below.found == filled_cells(cells)) {
                    HeaderMap h2 = split_header;
                    merge_header(h2, below);
                    if (h2.missing_required().empty()) {
                        header = h2;
                        have_header = true;
                        out.header_row = split_row;
                        return true;
                    }
                }
            }
            return ++scanned < 100; // the header sits near the top, under the title
        }
        if (row == subheader_row) {
            // The header's second row: column names under a merged group title (联系方式 over
            // 联系人, 联系电话, 邮箱) name the columns more exactly than the group title does.
            HeaderMap below = map_header(cells);
            if (below.found > 0 && below.found == filled_cells(cells)) {
                merge_header(header, below);
                return true;
            }
        }
        if (is_form_furniture(cells, header)) return true;
        ++out.rows_read;
        JobListing l;
        l.union_unit = opt.union_unit;
        l.employer_name = cell(cells, kEmployer);
        // The form's sample row ("例：奇瑞汽车股份有限公司") is guidance, not a listing.
        if (l.employer_name.rfind("例：", 0) == 0 || l.employer_name.rfind("例:", 0) == 0) {
            --out.rows_read;
            return true;
        }
        l.title = cell(cells, kTitle);
        l.work_location = cell(cells, kLocation);
        l.industry = cell(cells, kIndustry);
        l.salary = cell(cells, kSalary);
        l.gender_requirement = cell(cells, kGender);
        l.education = cell(cells, kEducation);
        l.contact_name = cell(cells, kContact);
        l.contact_phone = cell(cells, kPhone);
        l.email = cell(cells, kEmail);
        l.description = cell(cells, kDescription);
        l.experience = cell(cells, kExperience);
        l.remarks = cell(cells, kRemarks);
        bool bad_row = false;
        auto problem = [&](std::string column, std::string key,
                           std::vector<std::string> args = {}) {
            bad_row = true;
            add_problem(out, {row, std::move(column), std::move(key), std::move(args)});
        };
        // Bytes that were not text (a stray byte in a UTF-8 file) sit in this row.
        for (int c = 0; c < kColCount; ++c) {
            int p = header.pos[c];
            if (p >= 0 && static_cast<size_t>(p) < cells.size() &&
                cells[static_cast<size_t>(p)].find("\xEF\xBF\xBD") != std::string::npos) {
                problem(kCols[c].name, "err.import.bad_bytes");
                return true;
            }
        }
        bool bad_count = false;
        l.headcount = parse_headcount(cell(cells, kHeadcount), bad_count);
        if (bad_count) problem("招聘人数", "err.listing.headcount");
        std::string deadline = cell(cells, kDeadline);
        if (deadline.empty()) {
            problem("招聘截止日期", "err.listing.required", {"招聘截止日期"});
        } else if (auto d = parse_deadline(deadline)) {
            l.deadline = *d;
        } else {
            problem("招聘截止日期", "err.listing.deadline");
        }
        for (auto& c : check_listing(l)) {
            if (c.field == "招聘截止日期" || c.field == "招聘人数") continue; // reported above
            if (c.key == "err.listing.required")
                problem(c.field, c.key, {c.field});
            else
                problem(c.field, c.key);
        }
        if (bad_row) return true;
        l.id = listing_identity(l.employer_name, l.title, l.work_location);
        auto [it, fresh] = first_row_of.emplace(l.id, row);
        if (!fresh) {
            problem("岗位名称", "err.import.duplicate", {std::to_string(it->second)});
            return true;
        }
        out.listings.push_back(std::move(l));
        ++out.accepted;
        if (batch && out.listings.size() >= kImportBatch) {
            bool go = (*batch)(out.listings);
            out.listings.clear();
            if (!go) out.stopped = true;
            return go;
        }
        return true;
    };
    TableResult t = read(sink);
    out.format = t.format;
    out.encoding = t.encoding;
    finish_problems(out);
    if (!t.ok) {
        // A refused file changes nothing: its rows' problems are beside the point.
        out.listings.clear();
        out.problems = {refusal(t)};
        out.unlisted_problems = 0;
        return out;
    }
    if (!have_header) {
        if (!best_missing.empty())
            out.problems.push_back(
                {0, {}, "err.import.missing_columns", {join(best_missing, "、")}});
        else
            out.problems.push_back({0, {}, "err.import.no_header", {}});
        return out;
    }
    if (batch && !out.stopped && !out.listings.empty()) {
        out.stopped = !(*batch)(out.listings);
        out.listings.clear();
    }
    out.ok = true;
    return out;
}

ListingImport import_listings(const std::string& path, const ListingImportOptions& opt) {
    return import_rows([&](const RowSink& s) { return read_table(path, s); }, opt, nullptr);
}

ListingImport import_listings(const std::string& path, const ListingImportOptions& opt,
                              const ListingBatch& batch) {
    // First the file is parsed through once, keeping nothing, so that a file the reader refuses
    // (unreadable, past a limit) hands nothing over; row problems are found in the second pass.
    // The file itself is read from disk once.
    RowSink check = [](int64_t, std::vector<std::string>&) { return true; };
    auto read = [&](const RowSink& s) { return read_table_twice(path, check, s); };
    return import_rows(read, opt, &batch);
}

ListingImport import_listings_bytes(std::string_view bytes, const ListingImportOptions& opt,
                                    TableFormat format) {
    return import_rows([&](const RowSink& s) { return read_table_bytes(bytes, s, format); }, opt,
                       nullptr);
}

// -----------------------------------------------------------------------------
// Targets (附件1)
// -----------------------------------------------------------------------------

static int target_measure(const std::string& key) {
    bool phase = key.find("集中") != std::string::npos;
    bool year = key.find("全年") != std::string::npos;
    if (phase == year) return -1;
    if (key.find("企业") != std::string::npos) return phase ? kEmployersPhase : kEmployersYear;
    if (key.find("岗位") != std::string::npos) return phase ? kJobsPhase : kJobsYear;
    if (key.find("就业") != std::string::npos) return phase ? kPlacedPhase : kPlacedYear;
    return -1;
}

static TargetsImport import_target_rows(const std::function<TableResult(const RowSink&)>& read) {
    TargetsImport out;
    int unit_col = -1;
    int pos[kTargetMeasures];
    std::fill(std::begin(pos), std::end(pos), -1);
    bool have_header = false;
    int64_t scanned = 0;
    std::optional<Target> stated_total;
    int64_t total_row = 0;
    RowSink sink = [&](int64_t row, std::vector<std::string>& cells) -> bool {
        if (!have_header) {
            int u = -1, found = 0;
            int p[kTargetMeasures];
            std::fill(std::begin(p), std::end(p), -1);
            for (size_t c = 0; c < cells.size(); ++c) {
                std::string k = header_key(cells[c]);
                if (u < 0 && (k == "单位" || without_unit(k) == "单位")) u = static_cast<int>(c);
                int m = target_measure(k);
                if (m >= 0 && p[m] < 0) p[m] = static_cast<int>(c), ++found;
            }
            if (u >= 0 && found > 0) {
                unit_col = u;
                std::copy(std::begin(p), std::end(p), std::begin(pos));
                have_header = true;
                std::vector<std::string> missing;
                for (int m = 0; m < kTargetMeasures; ++m)
                    if (pos[m] < 0) missing.push_back(target_column(static_cast<TargetMeasure>(m)));
                if (!missing.empty())
                    out.problems.push_back(
                        {row, {}, "err.import.missing_columns", {join(missing, "、")}});
                return true;
            }
            return ++scanned < 100;
        }
        if (out.problems.size() >= kMaxListedProblems) return false; // not a 附件1 anyway
        std::string unit = static_cast<size_t>(unit_col) < cells.size()
                               ? trim(cells[static_cast<size_t>(unit_col)])
                               : "";
        if (unit.empty()) return true;
        Target t;
        t.unit = clean_label(unit); // "三山\n经开区" is the unit 三山经开区
        bool bad = false;
        for (int m = 0; m < kTargetMeasures; ++m) {
            if (pos[m] < 0 || static_cast<size_t>(pos[m]) >= cells.size()) continue;
            std::string v = trim(cells[static_cast<size_t>(pos[m])]);
            if (v.empty()) continue;
            int64_t n = 0;
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
            if (ec != std::errc() || p != v.data() + v.size() || n < 0) {
                out.problems.push_back({row,
                                        target_column(static_cast<TargetMeasure>(m)),
                                        "err.import.number",
                                        {target_column(static_cast<TargetMeasure>(m))}});
                bad = true;
                continue;
            }
            t.figures[m] = n;
        }
        std::string k = unit_key(unit);
        if (k == "合计" || k == "总计") {
            stated_total = t;
            total_row = row;
            return true;
        }
        if (!bad) out.targets.push_back(t);
        return true;
    };
    TableResult r = read(sink);
    if (!r.ok) {
        out.targets.clear();
        out.problems = {refusal(r)};
        return out;
    }
    if (!have_header) {
        out.problems.push_back({0, {}, "err.import.no_header", {}});
        return out;
    }
    if (stated_total) {
        // The form's 合计 row must agree with its units; a disagreement is worth a look.
        for (int m = 0; m < kTargetMeasures; ++m) {
            int64_t sum = 0;
            for (auto& t : out.targets)
                sum += t.figures[m];
            if (pos[m] >= 0 && sum != stated_total->figures[m])
                out.problems.push_back({total_row,
                                        target_column(static_cast<TargetMeasure>(m)),
                                        "err.targets.total",
                                        {std::to_string(sum)}});
        }
    }
    out.ok = !out.targets.empty();
    if (!out.ok && out.problems.empty()) out.problems.push_back({0, {}, "err.targets.empty", {}});
    return out;
}

TargetsImport import_targets(const std::string& path) {
    return import_target_rows([&](const RowSink& s) { return read_table(path, s); });
}

TargetsImport import_targets_bytes(std::string_view bytes, TableFormat format) {
    return import_target_rows([&](const RowSink& s) { return read_table_bytes(bytes, s, format); });
}

} // namespace jf::forms
