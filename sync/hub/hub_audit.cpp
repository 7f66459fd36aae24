// The audit of openings (see hub_audit.hpp).
#include "sync/hub/hub_audit.hpp"

#include "sync/hub/hub_service.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace jf::hub {

std::string current_account() {
    std::string who;
    if (passwd* pw = ::getpwuid(::getuid())) who = pw->pw_name;
    if (who.empty()) who = "uid " + std::to_string(::getuid());
    if (const char* sudo = std::getenv("SUDO_USER"); sudo && *sudo && who == "root")
        who = std::string(sudo) + " (sudo)";
    return who;
}

bool account_for_opening(HubStore& store, const std::string& form, const std::string& file,
                         int64_t people, std::string* error) {
    std::error_code ec;
    auto abs = std::filesystem::absolute(file, ec);
    OpeningRecord r;
    r.at = now_ms();
    r.who = current_account();
    r.form = form;
    r.people = people;
    r.file = ec ? file : abs.string();
    if (::chmod(file.c_str(), 0600) != 0) {
        if (error) *error = file + ": cannot make it readable by its owner only";
    } else if (!store.record_opening(r)) {
        if (error) *error = "the audit log could not be written: " + store.last_error();
    } else {
        return true;
    }
    std::remove(file.c_str());
    return false;
}

bool record_action(HubStore& store, const std::string& who, const std::string& action,
                   const std::string& what) {
    OpeningRecord r;
    r.at = now_ms();
    r.who = who;
    r.form = action;
    r.file = what;
    return store.record_opening(r);
}

} // namespace jf::hub
