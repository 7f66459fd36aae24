// The union's forms from the hub's data (hub_reports.hpp).
#include "hub_reports.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

namespace jf::hub {

ReportInput hub_report_input(HubStore& store, bool open_numbers) {
    ReportInput in;
    in.campaigns = store.campaigns();
    in.fairs = store.fairs();
    in.employers = store.employers();
    in.listings = store.listings();
    for (auto& p : store.placement_versions())
        in.placements.push_back(p.record);
    for (auto& c : store.check_ins())
        in.check_ins.push_back(c.record);
    if (!open_numbers) return in;
    std::set<std::string> placed;
    for (auto& p : in.placements)
        placed.insert(p.attendee_id);
    HubKeys keys = store.keys();
    for (auto& a : store.attendees()) {
        if (!placed.count(a.id)) continue;
        RevealedContact c;
        if (auto b = from_base64(a.sealed_id))
            if (auto plain = open_sealed(keys.seal, *b)) c.resident_id = *plain;
        if (auto b = from_base64(a.sealed_phone))
            if (auto plain = open_sealed(keys.seal, *b)) c.phone = *plain;
        if (!c.resident_id.empty() || !c.phone.empty()) in.revealed[a.id] = c;
    }
    return in;
}

std::string report_bytes(const forms::FormSheet& sheet, const std::string& format,
                         std::string* error) {
    if (format == "csv") return forms::to_csv(sheet);
    // libxlsxwriter writes files only: a private temporary file, read back and removed.
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path dir = fs::temp_directory_path(ec);
    std::string path = (dir / ("jf-report-" + new_uuid() + ".xlsx")).string();
    std::string out;
    if (forms::write_xlsx(sheet, path, error)) {
        std::ifstream f(path, std::ios::binary);
        out.assign(std::istreambuf_iterator<char>(f), {});
        if (out.empty() && error) *error = path + ": could not be read back";
    }
    ::unlink(path.c_str());
    return out;
}

} // namespace jf::hub
